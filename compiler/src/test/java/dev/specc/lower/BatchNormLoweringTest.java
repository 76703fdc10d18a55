package dev.specc.lower;

import static dev.specc.lower.TestModels.analyze;
import static dev.specc.lower.TestModels.chain;
import static dev.specc.lower.TestModels.size;
import static dev.specc.lower.TestModels.tensor;
import static dev.specc.lower.TestModels.uniform;
import static dev.specc.lower.TestModels.values;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.specc.ir.BatchNorm;
import dev.specc.ir.TensorShape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

class BatchNormLoweringTest {

    @Test
    void updateMovesMovingStatisticsTowardsTheBatchAndInferenceUsesThem() {
        double momentum = 0.9;
        double epsilon = 1e-3;
        long[] shape = {2, 3, 3, 2};
        int n = 18;
        float[] x = uniform(new Random(8), size(shape), 2);
        for (int i = 0; i < x.length; i += 2) x[i] += 1.5f; // channel 0 off zero mean
        try (CompiledModel model = new GraphLowerer().lower(analyze(TensorShape.of(3, 3, 2),
                chain(new BatchNorm(epsilon, momentum, true, true))));
             Session session = new Session(model.graph());
             TFloat32 input = tensor(shape, x)) {
            List<WeightVariable> moving = model.nonTrainableVariables();
            assertEquals(List.of("l0/moving_mean", "l0/moving_variance"),
                    moving.stream().map(WeightVariable::name).toList());
            Session.Runner step = session.runner().feed(model.input(), input).fetch(model.output(Mode.TRAINING));
            model.updateOps().forEach(step::addTarget);
            step.run().close();
            float[] inference;
            float[] mean;
            float[] variance;
            try (Result result = session.runner().feed(model.input(), input).fetch(model.output(Mode.INFERENCE))
                    .fetch(moving.get(0).read()).fetch(moving.get(1).read()).run()) {
                inference = values(result.get(0));
                mean = values(result.get(1));
                variance = values(result.get(2));
            }
            for (int c = 0; c < 2; c++) {
                double sum = 0;
                for (int i = c; i < x.length; i += 2) sum += x[i];
                double batchMean = sum / n;
                double squares = 0;
                for (int i = c; i < x.length; i += 2) squares += (x[i] - batchMean) * (x[i] - batchMean);
                double batchVariance = squares / (n - 1); // Bessel-corrected, as FusedBatchNormV3 reports it
                assertEquals(0 * momentum + batchMean * (1 - momentum), mean[c], 1e-5, "moving_mean " + c);
                assertEquals(1 * momentum + batchVariance * (1 - momentum), variance[c], 1e-5, "moving_variance " + c);
                for (int i = c; i < x.length; i += 2) {
                    double expected = (x[i] - mean[c]) / Math.sqrt(variance[c] + epsilon);
                    assertEquals(expected, inference[i], 1e-4, "inference output " + i);
                }
            }
        }
    }
}
