package dev.specc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.config.TrainConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static TrainConfig.ScheduleConfig config(String type, int every, double factor, String monitor, int patience,
                                                     double minLr, double minDelta, int warmupEpochs) {
        return new TrainConfig.ScheduleConfig(type, every, factor, monitor, patience, minLr, minDelta, warmupEpochs);
    }

    @Test
    void constantIsTheBaseRateEverywhere() {
        Schedule s = new Schedule(config("constant", 10, 0.1, "val_loss", 5, 0, 1e-4, 0), 0.03, 5);
        for (int epoch = 0; epoch < 5; epoch++) {
            for (int step = 0; step < 4; step++) assertEquals(0.03, s.rate(epoch, step, 4));
            assertNull(s.endEpoch(Map.of("val_loss", 10.0 + epoch)));
        }
    }

    /** segment.py: lr * (1 - iteration / max_iteration) ^ 0.9, per step over the whole run. */
    @Test
    void polyDecaysPerStepToZero() {
        Schedule s = new Schedule(config("poly", 10, 0.1, "val_loss", 5, 0, 1e-4, 0), 0.01, 4);
        assertEquals(0.01, s.rate(0, 0, 5), 1e-15);
        assertEquals(0.01 * Math.pow(1 - 7 / 20.0, 0.9), s.rate(1, 2, 5), 1e-15);
        assertEquals(0.01 * Math.pow(1 / 20.0, 0.9), s.rate(3, 4, 5), 1e-15);
        Schedule squared = new Schedule(new TrainConfig.ScheduleConfig("poly", 10, 0.1, "val_loss", 5, 0.001, 1e-4, 0, 2.0), 0.01, 4);
        assertEquals(0.01 * 0.25, squared.rate(2, 0, 5), 1e-15);
        assertEquals(0.001, squared.rate(3, 4, 5), 1e-15, "not below min_lr");
    }

    @Test
    void stepDecayMultipliesEveryNEpochsDownToTheFloor() {
        Schedule s = new Schedule(config("step", 3, 0.5, "val_loss", 5, 0.02, 1e-4, 0), 0.1, 12);
        double[] expected = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.02, 0.02, 0.02};
        for (int epoch = 0; epoch < expected.length; epoch++) {
            assertEquals(expected[epoch], s.rate(epoch, 0, 7), 1e-12, "epoch " + epoch);
            assertEquals(expected[epoch], s.rate(epoch, 6, 7), 1e-12, "last step of epoch " + epoch);
        }
    }

    @Test
    void cosineWarmsUpLinearlyThenDecaysToTheMinimum() {
        double base = 0.1;
        double min = 0.001;
        int epochs = 10;
        int steps = 5;
        Schedule s = new Schedule(config("cosine", 10, 0.1, "val_loss", 5, min, 1e-4, 2), base, epochs);
        int warmupSteps = 2 * steps;
        assertEquals(base / warmupSteps, s.rate(0, 0, steps), 1e-12, "first step");
        for (int g = 0; g < warmupSteps; g++) {
            assertEquals(base * (g + 1) / warmupSteps, s.rate(g / steps, g % steps, steps), 1e-12, "warm-up step " + g);
        }
        assertEquals(base, s.rate(1, steps - 1, steps), 1e-12, "end of warm-up");
        assertEquals(base, s.rate(2, 0, steps), 1e-12, "first step after warm-up");
        int decaySteps = epochs * steps - warmupSteps;
        int middle = warmupSteps + decaySteps / 2;
        assertEquals((base + min) / 2, s.rate(middle / steps, middle % steps, steps), 1e-12, "half way");
        double last = s.rate(epochs - 1, steps - 1, steps);
        assertTrue(last >= min && last - min < 0.01 * (base - min), "last step " + last);
        double previous = Double.MAX_VALUE;
        for (int g = warmupSteps; g < epochs * steps; g++) {
            double r = s.rate(g / steps, g % steps, steps);
            assertTrue(r < previous, "not decreasing at step " + g + ": " + r + " after " + previous);
            previous = r;
        }
    }

    @Test
    void cosineWithoutWarmupStartsAtTheBase() {
        Schedule s = new Schedule(config("cosine", 10, 0.1, "val_loss", 5, 0, 1e-4, 0), 0.2, 4);
        assertEquals(0.2, s.rate(0, 0, 3), 1e-12);
        assertEquals(0.1, s.rate(2, 0, 3), 1e-12);
    }

    /** Feeds val_loss values one epoch at a time; returns the rate in force after each epoch. */
    private static List<Double> ratesAfter(Schedule s, double... losses) {
        List<Double> rates = new ArrayList<>();
        for (double loss : losses) {
            s.endEpoch(Map.of("val_loss", loss, "loss", 0.0));
            rates.add(s.rate(0, 0, 1));
        }
        return rates;
    }

    @Test
    void plateauReducesAfterPatienceEpochsWithoutImprovementBeyondMinDelta() {
        Schedule s = new Schedule(config("plateau", 10, 0.5, "val_loss", 2, 0.02, 0.01, 0), 0.1, 20);
        assertEquals(0.1, s.rate(0, 0, 1));
        // 1.0: first value, best. 0.995: better by less than min_delta, so no improvement (wait 1).
        // 0.98: better than 1.0 - 0.01, improvement (best 0.98, wait 0). 0.99, 0.985: wait 1, 2 -> reduce.
        assertEquals(List.of(0.1, 0.1, 0.1, 0.1, 0.05), ratesAfter(s, 1.0, 0.995, 0.98, 0.99, 0.985));
        assertEquals(new Schedule.State(0.05, 0.98, 0), s.state(), "the counter restarts after a reduction");
        // 0.975 is not below 0.98 - 0.01: two more epochs without improvement -> 0.025; two more -> floor.
        assertEquals(List.of(0.05, 0.025, 0.025, 0.02), ratesAfter(s, 0.975, 0.975, 0.975, 0.975));
        // At the floor the rate stays put however long nothing improves.
        assertEquals(List.of(0.02, 0.02, 0.02, 0.02), ratesAfter(s, 0.975, 0.975, 0.975, 0.975));
        // A real improvement is still recorded.
        ratesAfter(s, 0.5);
        assertEquals(0.5, s.state().best());
        assertEquals(0, s.state().epochsWithoutImprovement());
    }

    @Test
    void plateauMessageNamesTheRateBeforeAndAfter() {
        Schedule s = new Schedule(config("plateau", 10, 0.5, "val_loss", 1, 0.02, 0, 0), 0.1, 20);
        assertNull(s.endEpoch(Map.of("val_loss", 1.0)));
        String first = s.endEpoch(Map.of("val_loss", 1.0));
        assertNotNull(first);
        assertTrue(first.contains("0.100 -> 0.0500"), first);
        s.endEpoch(Map.of("val_loss", 1.0)); // 0.05 -> 0.025
        String clamped = s.endEpoch(Map.of("val_loss", 1.0)); // 0.025 -> 0.02 (the floor, not 0.0125)
        assertEquals(0.02, s.rate(0, 0, 1));
        assertTrue(clamped.contains("0.0250 -> 0.0200"), clamped);
        assertNull(s.endEpoch(Map.of("val_loss", 1.0)), "no message once at the floor");
    }

    @Test
    void plateauOnAnAccuracyWantsItHigher() {
        Schedule s = new Schedule(config("plateau", 10, 0.1, "val_accuracy", 1, 0, 0.0, 0), 1.0, 20);
        s.endEpoch(Map.of("val_accuracy", 0.5));
        s.endEpoch(Map.of("val_accuracy", 0.6));
        assertEquals(1.0, s.rate(0, 0, 1), 1e-12, "accuracy went up: an improvement");
        s.endEpoch(Map.of("val_accuracy", 0.4));
        assertEquals(0.1, s.rate(0, 0, 1), 1e-12, "accuracy went down: reduce at patience 1");
        assertEquals(0.6, s.state().best());
    }

    @Test
    void plateauIgnoresEpochsWithoutTheMonitoredValue() {
        Schedule s = new Schedule(config("plateau", 10, 0.5, "val_loss", 1, 0, 0, 0), 0.1, 20);
        s.endEpoch(Map.of("val_loss", 1.0));
        for (int i = 0; i < 3; i++) assertNull(s.endEpoch(Map.of("loss", 5.0)));
        assertNull(s.endEpoch(Map.of("val_loss", Double.NaN)));
        assertEquals(new Schedule.State(0.1, 1.0, 0), s.state());
    }

    @Test
    void restoredPlateauStateContinuesExactlyAsTheOriginal() {
        TrainConfig.ScheduleConfig c = config("plateau", 10, 0.5, "val_loss", 3, 0.001, 0.01, 0);
        Schedule original = new Schedule(c, 0.1, 30);
        ratesAfter(original, 1.0, 0.9, 0.95, 0.95); // best 0.9, wait 2
        Schedule.State saved = original.state();
        assertEquals(new Schedule.State(0.1, 0.9, 2), saved);

        Schedule resumed = new Schedule(c, 0.1, 30);
        resumed.restore(saved);
        assertEquals(saved, resumed.state());
        double[] rest = {0.95, 0.95, 0.95, 0.95, 0.7, 0.8, 0.8, 0.8};
        assertEquals(ratesAfter(original, rest), ratesAfter(resumed, rest));
        assertEquals(original.state(), resumed.state());
        // Without the restore the next epoch would not have reduced yet: the state matters.
        Schedule fresh = new Schedule(c, 0.1, 30);
        assertEquals(0.1, ratesAfter(fresh, 0.95).get(0));
        Schedule restoredAgain = new Schedule(c, 0.1, 30);
        restoredAgain.restore(saved);
        assertEquals(0.05, ratesAfter(restoredAgain, 0.95).get(0));
    }
}
