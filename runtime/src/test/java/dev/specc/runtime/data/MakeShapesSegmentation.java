package dev.specc.runtime.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Writes the shapes segmentation set (data/shapes-seg): coloured discs, rectangles and triangles,
 * rotated and overlapping, on textured backgrounds (noise, stripes and a colour gradient), with
 * palette PNG masks holding 0 (background), 1 (disc), 2 (rectangle), 3 (triangle), and 255
 * (ignore) on the pixels a shape's edge only partly covers. A shape's colour says nothing about
 * its class. Deterministic: the same arguments give byte-identical files.
 * Usage: MakeShapesSegmentation OUT_DIR [TRAIN TEST SIZE SEED] (defaults 320 100 64 7).
 */
public final class MakeShapesSegmentation {
    public static final List<String> CLASSES = List.of("background", "disc", "rectangle", "triangle");
    static final int IGNORE = 255;
    private static final int SAMPLES = 4;

    private MakeShapesSegmentation() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1 && args.length != 5) {
            System.err.println("usage: MakeShapesSegmentation OUT_DIR [TRAIN TEST SIZE SEED]");
            System.exit(2);
        }
        int train = args.length == 5 ? Integer.parseInt(args[1]) : 320;
        int test = args.length == 5 ? Integer.parseInt(args[2]) : 100;
        int size = args.length == 5 ? Integer.parseInt(args[3]) : 64;
        long seed = args.length == 5 ? Long.parseLong(args[4]) : 7;
        write(Path.of(args[0]), train, test, size, seed);
    }

    /** Writes {@code train/} and {@code test/} folders, each with images/ (PNG) and masks/ (palette PNG). */
    public static void write(Path out, int train, int test, int size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        for (String split : List.of("train", "test")) {
            Path images = Files.createDirectories(out.resolve(split).resolve("images"));
            Path masks = Files.createDirectories(out.resolve(split).resolve("masks"));
            int count = split.equals("train") ? train : test;
            for (int i = 0; i < count; i++) {
                String name = String.format(Locale.ROOT, "%s_%04d.png", split, i);
                BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
                byte[] mask = new byte[size * size];
                draw(image, mask, size, random.split());
                ImageIO.write(image, "png", images.resolve(name).toFile());
                ImageIO.write(maskImage(mask, size), "png", masks.resolve(name).toFile());
            }
        }
    }

    private static void draw(BufferedImage image, byte[] mask, int size, SplittableRandom random) {
        texture(image, size, random);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int shapes = 1 + random.nextInt(3);
        for (int s = 0; s < shapes; s++) {
            int cls = 1 + random.nextInt(3);
            double extent = size * (0.3 + random.nextDouble() * 0.25);
            double cx = extent / 2 + random.nextDouble() * (size - extent);
            double cy = extent / 2 + random.nextDouble() * (size - extent);
            Shape shape = shape(cls, cx, cy, extent, random);
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
            g.fill(shape);
            if (random.nextBoolean()) {
                g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
                g.setStroke(new BasicStroke(1f));
                g.draw(new Rectangle2D.Double(cx - 1, cy - 1, 2, 2));
            }
            label(mask, size, shape, cls);
        }
        g.dispose();
    }

    private static Shape shape(int cls, double cx, double cy, double extent, SplittableRandom random) {
        double half = extent / 2;
        Shape base = switch (cls) {
            case 1 -> new Ellipse2D.Double(cx - half, cy - half, extent, extent);
            case 2 -> new Rectangle2D.Double(cx - half, cy - half * (0.6 + 0.4 * random.nextDouble()), extent,
                    extent * (0.6 + 0.4 * random.nextDouble()));
            default -> {
                Polygon p = new Polygon();
                for (int k = 0; k < 3; k++) {
                    double a = -Math.PI / 2 + k * 2 * Math.PI / 3;
                    p.addPoint((int) Math.round(cx + half * 1.2 * Math.cos(a)), (int) Math.round(cy + half * 1.2 * Math.sin(a)));
                }
                yield p;
            }
        };
        return AffineTransform.getRotateInstance(random.nextDouble() * Math.PI * 2, cx, cy).createTransformedShape(base);
    }

    /** Class where every sample of the pixel is inside, ignore where only some are; later shapes cover earlier ones. */
    private static void label(byte[] mask, int size, Shape shape, int cls) {
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int inside = 0;
                for (int sy = 0; sy < SAMPLES; sy++) {
                    for (int sx = 0; sx < SAMPLES; sx++) {
                        if (shape.contains(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES)) inside++;
                    }
                }
                if (inside == SAMPLES * SAMPLES) mask[y * size + x] = (byte) cls;
                else if (inside > 0) mask[y * size + x] = (byte) IGNORE;
            }
        }
    }

    private static void texture(BufferedImage image, int size, SplittableRandom random) {
        int[] base = {random.nextInt(256), random.nextInt(256), random.nextInt(256)};
        int[] other = {random.nextInt(256), random.nextInt(256), random.nextInt(256)};
        double angle = random.nextDouble() * Math.PI;
        double period = 4 + random.nextDouble() * 12;
        double stripes = random.nextDouble() * 0.5;
        double noise = 10 + random.nextDouble() * 30;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double t = (double) (x + y) / (2 * size);
                double wave = stripes * Math.sin((x * Math.cos(angle) + y * Math.sin(angle)) * 2 * Math.PI / period);
                int rgb = 0;
                for (int k = 0; k < 3; k++) {
                    double v = base[k] * (1 - t) + other[k] * t + 60 * wave + noise * (random.nextDouble() - 0.5) * 2;
                    rgb = (rgb << 8) | (int) Math.max(0, Math.min(255, Math.round(v)));
                }
                image.setRGB(x, y, rgb);
            }
        }
    }

    private static BufferedImage maskImage(byte[] mask, int size) {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        int[][] palette = {{0, 0, 0}, {220, 20, 60}, {0, 0, 142}, {250, 170, 30}};
        for (int c = 0; c < palette.length; c++) {
            r[c] = (byte) palette[c][0];
            g[c] = (byte) palette[c][1];
            b[c] = (byte) palette[c][2];
        }
        r[IGNORE] = g[IGNORE] = b[IGNORE] = (byte) 255;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, g, b));
        image.getRaster().setDataElements(0, 0, size, size, mask);
        return image;
    }
}
