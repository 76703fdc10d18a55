package dev.specc.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationReportTest {
    @Test
    void theConfusionMatrixNamesEveryClassInFull() {
        EvaluationReport report = new EvaluationReport("test", 5, 0.5, 0.6, null, List.of("Ankle boot", "Bag"),
                new long[][] {{2, 1}, {1, 1}});
        List<String> lines = report.text().lines().toList();
        int header = lines.indexOf("confusion matrix (rows: true class, columns: predicted)");
        assertEquals("                 0     1", lines.get(header + 1));
        assertEquals("0 Ankle boot     2     1", lines.get(header + 2));
        assertEquals("1 Bag            1     1", lines.get(header + 3));
        assertTrue(lines.contains("Ankle boot    0.6667  3"), report.text());
    }
}
