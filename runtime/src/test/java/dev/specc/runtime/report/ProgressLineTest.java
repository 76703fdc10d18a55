package dev.specc.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    private static Map<String, Double> metrics(double loss, double accuracy) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", loss);
        m.put("accuracy", accuracy);
        return m;
    }

    @Test
    void onAPipeItPrintsATenthOfTheEpochAtATimeAndClosesWithValidationMetrics() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressLine progress = new ProgressLine(out, false, 100, 0);
        for (int step = 1; step <= 100; step++) progress.update(step, metrics(1.0 / step, 0.5));
        Map<String, Double> closing = metrics(0.01, 0.5);
        closing.put("val_loss", 0.25);
        closing.put("val_accuracy", 0.875);
        progress.finish(100, closing);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), "no carriage returns on a pipe");
        assertFalse(text.contains("\u001b"), "no escape sequences on a pipe");
        List<String> lines = text.lines().toList();
        assertTrue(lines.size() >= 10 && lines.size() <= 11, lines.size() + " lines:\n" + text);
        assertTrue(lines.get(0).startsWith("  1/100 - ETA: "), lines.get(0));
        assertTrue(lines.get(0).contains(" - loss: 1.0000 - accuracy: 0.5000"), lines.get(0));
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("100/100 - "), last);
        assertTrue(last.endsWith(" - loss: 0.0100 - accuracy: 0.5000 - val_loss: 0.2500 - val_accuracy: 0.8750"), last);
    }

    @Test
    void onATerminalItRedrawsOneLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressLine progress = new ProgressLine(out, true, 4, 0);
        for (int step = 1; step <= 4; step++) progress.update(step, metrics(0.5, 0.5));
        progress.finish(4, metrics(0.5, 0.5));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.chars().filter(c -> c == '\n').count(), text);
        assertEquals(5, text.chars().filter(c -> c == '\r').count());
        assertTrue(text.contains("2/4 [==============>...............]"), text);
        assertTrue(text.contains("4/4 [==============================]"), text);
    }

    @Test
    void secondsAreFormattedLikeKeras() {
        assertEquals("0s", ProgressLine.seconds(0.2));
        assertEquals("59s", ProgressLine.seconds(59.4));
        assertEquals("1:05", ProgressLine.seconds(65));
        assertEquals("1:01:01", ProgressLine.seconds(3661));
    }
}
