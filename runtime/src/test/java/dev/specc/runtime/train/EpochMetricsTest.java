package dev.specc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EpochMetricsTest {
    @Test
    void lossIsTheMeanOverExamplesNotOverBatches() {
        EpochMetrics m = new EpochMetrics(List.of(), false);
        m.add(1.0, new float[] {1, 0}, new int[] {0}, 1);
        m.add(4.0, new float[] {1, 0, 1, 0, 1, 0}, new int[] {0, 0, 0}, 3);
        assertEquals(4, m.examples());
        assertEquals((1.0 * 1 + 4.0 * 3) / 4, m.loss(), 1e-12); // 3.25; a mean of batch means would be 2.5
    }

    @Test
    void accuracyCountsArgmaxHits() {
        EpochMetrics m = new EpochMetrics(List.of(), false);
        m.add(0.5, new float[] {
            0.1f, 0.7f, 0.2f,   // predicts 1, label 1: hit
            0.6f, 0.3f, 0.1f,   // predicts 0, label 2: miss
            0.2f, 0.2f, 0.6f,   // predicts 2, label 2: hit
            0.3f, 0.4f, 0.3f,   // predicts 1, label 0: miss
        }, new int[] {1, 2, 2, 0}, 4);
        m.add(0.5, new float[] {0.0f, 0.0f, 1.0f}, new int[] {2}, 1);
        assertEquals(3.0 / 5, m.accuracy(), 1e-12);
    }

    @Test
    void topKCountsALabelTiedAtTheBoundaryAsInTheTopK() {
        // Like tf.math.in_top_k: a label whose score ties with others is in the top k when fewer
        // than k classes score strictly higher.
        EpochMetrics m = new EpochMetrics(List.of(1, 2), false);
        m.add(1.0, new float[] {
            0.3f, 0.3f, 0.3f, 0.1f,   // label 2 ties for first: top-1 and top-2; argmax picks 0, a miss
            0.5f, 0.2f, 0.2f, 0.1f,   // label 2: one strictly higher -> top-2 only
            0.4f, 0.3f, 0.2f, 0.1f,   // label 3: three higher -> neither
            0.1f, 0.2f, 0.3f, 0.4f,   // label 3 first -> both
        }, new int[] {2, 2, 3, 3}, 4);
        Map<String, Double> v = m.values("val_");
        assertEquals(List.of("val_loss", "val_accuracy", "val_top_1", "val_top_2"), List.copyOf(v.keySet()));
        assertEquals(0.25, v.get("val_accuracy"), 1e-12, "first maximum wins for accuracy");
        assertEquals(0.5, v.get("val_top_1"), 1e-12);
        assertEquals(0.75, v.get("val_top_2"), 1e-12);
        assertEquals(1.0, v.get("val_loss"), 1e-12);
    }

    @Test
    void binaryOutputsArePredictedAtOneHalf() {
        EpochMetrics m = new EpochMetrics(List.of(), true);
        m.add(0.3, new float[] {0.4999f, 0.5001f, 0.9f, 0.1f, 0.7f, 0.2f}, new int[] {0, 1, 1, 0, 0, 1}, 6);
        assertEquals(4.0 / 6, m.accuracy(), 1e-12);
        assertEquals(0, EpochMetrics.predict(new float[] {0.49f}, 0, 1, true));
        assertEquals(1, EpochMetrics.predict(new float[] {0.51f}, 0, 1, true));
        // One output per row: the same row read as a one-class softmax would always predict 0.
        assertEquals(1, EpochMetrics.predict(new float[] {0.1f, 0.9f}, 1, 1, true));
    }

    @Test
    void emptyMetricsAreNaN() {
        EpochMetrics m = new EpochMetrics(List.of(5), false);
        assertEquals(0, m.examples());
        assertTrue(Double.isNaN(m.loss()));
        assertTrue(Double.isNaN(m.accuracy()));
        assertTrue(Double.isNaN(m.values("").get("top_5")));
    }
}
