package dev.specc.runtime.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The throughput report: figures from the timed steps, and words instead of NaN when a run is too short to time. */
class ThroughputMeterTest {
    private static final String W = "worker 0 (localhost:1)";
    private static final String TOO_FEW = ", too few to time (the first step, which includes TensorFlow's graph setup, "
            + "is not timed)";

    @Test
    void aRunTooShortToTimeSaysSoInsteadOfNaN() {
        ThroughputMeter meter = new ThroughputMeter();
        assertEquals(W + ": no steps run" + TOO_FEW, meter.describe(W));
        meter.step(15, 5_000_000_000L);
        assertEquals(W + ": 1 step run" + TOO_FEW, meter.describe(W));
        assertEquals("cluster of 2 workers: images/s not measured, 1 step run" + TOO_FEW, meter.describeCluster(2));
    }

    @Test
    void theFirstStepIsLeftOutOfTheFigures() {
        ThroughputMeter meter = new ThroughputMeter();
        meter.step(15, 5_000_000_000L); // graph setup: not counted
        meter.step(15, 500_000_000L);
        meter.step(15, 250_000_000L);
        assertEquals(40.0, meter.imagesPerSecond(), 1e-9);
        assertEquals(W + ": 40.0 images/s on its shards, 0.375 s per step, gradient all-reduce not measured "
                + "(fewer than 20 steps)", meter.describe(W));
        assertEquals("cluster of 2 workers: about 80.0 images/s together", meter.describeCluster(2));
        meter.allReduce(75_000_000L, 250_000_000L);
        assertEquals(W + ": 40.0 images/s on its shards, 0.375 s per step, gradient all-reduce 30% of step time",
                meter.describe(W));
    }
}
