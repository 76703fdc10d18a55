package dev.specc.lower;

import static dev.specc.lower.TestModels.analyze;
import static dev.specc.lower.TestModels.chain;
import static dev.specc.lower.TestModels.tensor;
import static dev.specc.lower.TestModels.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.specc.ir.Dropout;
import dev.specc.ir.TensorShape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

class DropoutLoweringTest {

    @Test
    void trainingDropsAboutRateAndScalesTheRestInferencePassesThrough() {
        double rate = 0.3;
        long[] shape = {4, 1000};
        float[] ones = new float[4000];
        Arrays.fill(ones, 1f);
        try (CompiledModel model = new GraphLowerer().lower(analyze(TensorShape.of(1000), chain(new Dropout(rate))));
             Session session = new Session(model.graph());
             TFloat32 x = tensor(shape, ones)) {
            float[] first;
            float[] again;
            float[] second;
            float[] inference;
            try (TInt64 step1 = TInt64.scalarOf(1); TInt64 step2 = TInt64.scalarOf(2)) {
                try (Result result = session.runner().feed(model.input(), x).feed(model.stepSeed(), step1)
                        .fetch(model.output(Mode.TRAINING)).fetch(model.output(Mode.INFERENCE)).run()) {
                    first = values(result.get(0));
                    inference = values(result.get(1));
                }
                try (Result result = session.runner().feed(model.input(), x).feed(model.stepSeed(), step1)
                        .fetch(model.output(Mode.TRAINING)).run()) {
                    again = values(result.get(0));
                }
                try (Result result = session.runner().feed(model.input(), x).feed(model.stepSeed(), step2)
                        .fetch(model.output(Mode.TRAINING)).run()) {
                    second = values(result.get(0));
                }
            }
            int zeros = 0;
            for (float v : first) {
                if (v == 0f) {
                    zeros++;
                } else {
                    assertEquals(1 / (1 - rate), v, 1e-5);
                }
            }
            // 4000 Bernoulli(0.3) draws: standard deviation of the fraction is about 0.007.
            assertEquals(rate, zeros / 4000.0, 0.03);
            assertFalse(Arrays.equals(first, second), "each step seed draws a new mask");
            assertArrayEquals(first, again, "the same step seed draws the same mask");
            assertArrayEquals(ones, inference);
        }
    }

    @Test
    void aRateOfOneIsAnInternalErrorSinceTheResolverRefusesIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GraphLowerer().lower(analyze(TensorShape.of(4), chain(new Dropout(1)))));
        assertEquals("dropout rate must be below 1, got 1.0 [layer l0]", e.getMessage());
    }
}
