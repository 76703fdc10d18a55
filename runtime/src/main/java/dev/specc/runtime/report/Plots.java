package dev.specc.runtime.report;

import dev.specc.runtime.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
        if (max - min < 1e-9) {
            max += 0.5;
            min -= 0.5;
        }
        double pad = (max - min) * 0.05;
        min -= pad;
        max += pad;
        int epochs = history.size();
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(0xdddddd));
        for (int i = 0; i <= 5; i++) {
            int y = TOP + plotH * i / 5;
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.3g", max - (max - min) * i / 5), 8, y + 4);
            g.setColor(new Color(0xdddddd));
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(LEFT, TOP, plotW, plotH);
        int ticks = Math.min(epochs, 10);
        for (int i = 0; i < ticks; i++) {
            int epoch = epochs == 1 ? 1 : 1 + (int) Math.round((double) i * (epochs - 1) / Math.max(1, ticks - 1));
            g.drawString(Integer.toString(epoch), x(epoch, epochs, plotW) - 4, TOP + plotH + 18);
        }
        g.drawString("epoch", LEFT + plotW / 2 - 15, HEIGHT - 12);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(metric, LEFT, 25);
        Color[] colors = {new Color(0x1f77b4), new Color(0xff7f0e)};
        g.setStroke(new BasicStroke(2f));
        for (int s = 0; s < series.size(); s++) {
            g.setColor(colors[s % colors.length]);
            double[] ys = series.get(s);
            int px = -1;
            int py = -1;
            for (int e = 0; e < ys.length; e++) {
                if (!Double.isFinite(ys[e])) continue;
                int xx = x(e + 1, epochs, plotW);
                int yy = TOP + (int) Math.round((max - ys[e]) / (max - min) * plotH);
                g.fillOval(xx - 3, yy - 3, 6, 6);
                if (px >= 0) g.drawLine(px, py, xx, yy);
                px = xx;
                py = yy;
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.fillRect(WIDTH - 150, 14 + 16 * s, 12, 3);
            g.drawString(labels.get(s), WIDTH - 132, 20 + 16 * s);
        }
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        AtomicFiles.write(file, png.toByteArray());
    }

    private static int x(int epoch, int epochs, int plotW) {
        return LEFT + (epochs <= 1 ? plotW / 2 : (int) Math.round((double) (epoch - 1) / (epochs - 1) * plotW));
    }
}
