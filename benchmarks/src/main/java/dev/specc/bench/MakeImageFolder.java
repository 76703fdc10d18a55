package dev.specc.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Writes an image folder for the streaming benchmark: {@code COUNT} JPEGs of {@code WIDTH x HEIGHT}
 * spread over {@code CLASSES} class folders, each a seeded smooth pattern with noise (so the files
 * are photo-sized, about 15-25 KB at 320x240). Files that exist are kept, so an interrupted run resumes.
 * Usage: MakeImageFolder DIR COUNT WIDTH HEIGHT CLASSES
 */
public final class MakeImageFolder {
    private MakeImageFolder() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        int width = Integer.parseInt(args[2]);
        int height = Integer.parseInt(args[3]);
        int classes = Integer.parseInt(args[4]);
        for (int c = 0; c < classes; c++) Files.createDirectories(dir.resolve("class" + c));
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            parts.add(pool.submit(() -> {
                for (int i = first; i < count; i += threads) write(dir, i, classes, width, height);
                return null;
            }));
        }
        for (Future<?> part : parts) part.get();
        pool.shutdown();
    }

    private static void write(Path dir, int index, int classes, int width, int height) throws IOException {
        Path file = dir.resolve("class" + index % classes).resolve(String.format("img%06d.jpg", index));
        if (Files.isRegularFile(file)) return;
        SplittableRandom random = new SplittableRandom(index);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        double fx = 0.01 + random.nextDouble() * 0.05;
        double fy = 0.01 + random.nextDouble() * 0.05;
        int base = random.nextInt(0x1000000);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = (int) (127 + 100 * Math.sin(x * fx + index) * Math.cos(y * fy)) + random.nextInt(24);
                int r = Math.min(255, Math.max(0, v + (base >> 16 & 0x3F)));
                int g = Math.min(255, Math.max(0, 255 - v + (base >> 8 & 0x3F)));
                int b = Math.min(255, Math.max(0, (v + x) & 0xFF));
                row[x] = r << 16 | g << 8 | b;
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        if (!ImageIO.write(image, "jpeg", temporary.toFile())) throw new IOException("no JPEG writer");
        Files.move(temporary, file);
    }
}
