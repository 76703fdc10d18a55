package dev.specc.runtime.report;

import dev.specc.runtime.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** PNG line charts of per-epoch metrics: training against validation, as users draw them with matplotlib. */
public final class Plots {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 440;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    private Plots() {
    }

    /** Draws {@code metric} and {@code val_metric} per epoch into {@code file}. */
    public static void write(Path file, String metric, List<Map<String, Double>> history) throws IOException {
        List<double[]> series = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (String key : List.of(metric, "val_" + metric)) {
            double[] ys = history.stream().mapToDouble(h -> h.getOrDefault(key, Double.NaN)).toArray();
            if (java.util.Arrays.stream(ys).anyMatch(y -> !Double.isNaN(y))) {
                series.add(ys);
                labels.add(key.startsWith("val_") ? "validation" : "training");
            }
        }
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double[] ys : series) {
            for (double y : ys) {
                if (Double.isFinite(y)) {
                    min = Math.min(min, y);
                    max = Math.max(max, y);
                }
            }
        }
        if (min > max) {
            min = 0;
            max = 1;
        }
        double pad = Math.max((max - min) * 0.05, Math.max(Math.abs(max) * 0.05, 0.01));
        double bottom = min - pad;
        double topValue = max + pad;
        int epochs = Math.max(1, history.size());
        double epochPad = Math.max(0.05 * (epochs - 1), epochs == 1 ? 0.5 : 0.2);
        Frame frame = new Frame(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM, 1 - epochPad, epochs + epochPad,
                bottom, topValue);
        Ticks yTicks = Ticks.inside(bottom, topValue, 6);
        Ticks xTicks = Ticks.epochs(frame.firstEpoch(), frame.lastEpoch(), 10);
        Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        g.setFont(plain);
        FontMetrics metrics = g.getFontMetrics();
        for (double v : yTicks.values()) {
            int y = frame.y(v);
            g.setColor(new Color(0xdddddd));
            g.drawLine(frame.left, y, frame.left + frame.width, y);
            g.setColor(Color.DARK_GRAY);
            String label = yTicks.label(v);
            g.drawString(label, frame.left - 6 - metrics.stringWidth(label), y + 4);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(frame.left, frame.top, frame.width, frame.height);
        for (double v : xTicks.values()) {
            int x = frame.x(v);
            String label = xTicks.label(v);
            g.drawLine(x, frame.top + frame.height, x, frame.top + frame.height + 4);
            g.drawString(label, x - metrics.stringWidth(label) / 2, frame.top + frame.height + 18);
        }
        g.drawString("epoch", frame.left + frame.width / 2 - metrics.stringWidth("epoch") / 2, HEIGHT - 12);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(metric, LEFT, 25);
        Color[] colors = {new Color(0x1f77b4), new Color(0xff7f0e)};
        g.setStroke(new BasicStroke(2f));
        List<int[]> points = new ArrayList<>();
        for (int s = 0; s < series.size(); s++) {
            g.setColor(colors[s % colors.length]);
            double[] ys = series.get(s);
            int px = -1;
            int py = -1;
            for (int e = 0; e < ys.length; e++) {
                if (!Double.isFinite(ys[e])) continue;
                int xx = frame.x(e + 1);
                int yy = frame.y(ys[e]);
                points.add(new int[] {xx, yy});
                g.fillOval(xx - 3, yy - 3, 6, 6);
                if (px >= 0) g.drawLine(px, py, xx, yy);
                px = xx;
                py = yy;
            }
        }
        g.setFont(plain);
        g.setStroke(new BasicStroke(1f));
        int legendWidth = 24 + labels.stream().mapToInt(metrics::stringWidth).max().orElse(0) + 10;
        Rectangle legend = frame.emptiestCorner(legendWidth, 8 + 18 * labels.size(), points);
        g.setColor(Color.WHITE);
        g.fillRect(legend.x, legend.y, legend.width, legend.height);
        g.setColor(new Color(0xcccccc));
        g.drawRect(legend.x, legend.y, legend.width, legend.height);
        for (int s = 0; s < labels.size(); s++) {
            int baseline = legend.y + 18 + 18 * s;
            g.setColor(colors[s % colors.length]);
            g.fillRect(legend.x + 6, baseline - 6, 14, 3);
            g.setColor(Color.DARK_GRAY);
            g.drawString(labels.get(s), legend.x + 26, baseline);
        }
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        AtomicFiles.write(file, png.toByteArray());
    }

    /** The plot area and its data ranges: epochs left to right, values bottom to top. */
    private record Frame(int left, int top, int width, int height, double firstEpoch, double lastEpoch, double bottom,
                         double topValue) {
        int x(double epoch) {
            return left + (int) Math.round((epoch - firstEpoch) / (lastEpoch - firstEpoch) * width);
        }

        int y(double value) {
            return top + (int) Math.round((topValue - value) / (topValue - bottom) * height);
        }

        /** A box of the given size inside the frame, in the corner that covers the fewest data points. */
        Rectangle emptiestCorner(int boxWidth, int boxHeight, List<int[]> points) {
            int margin = 8;
            int[][] corners = {{left + width - margin - boxWidth, top + margin}, {left + margin, top + margin},
                    {left + width - margin - boxWidth, top + height - margin - boxHeight},
                    {left + margin, top + height - margin - boxHeight}};
            Rectangle best = null;
            long fewest = Long.MAX_VALUE;
            for (int[] c : corners) {
                Rectangle box = new Rectangle(c[0], c[1], boxWidth, boxHeight);
                Rectangle near = new Rectangle(box.x - 6, box.y - 6, box.width + 12, box.height + 12);
                long covered = points.stream().filter(p -> near.contains(p[0], p[1])).count();
                if (covered < fewest) {
                    fewest = covered;
                    best = box;
                }
            }
            return best;
        }
    }
}
