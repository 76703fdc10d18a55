package dev.specc.lower;

import static dev.specc.lower.TestModels.analyze;
import static dev.specc.lower.TestModels.chain;
import static dev.specc.lower.TestModels.size;
import static dev.specc.lower.TestModels.tensor;
import static dev.specc.lower.TestModels.values;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.ir.BatchNorm;
import dev.specc.ir.TensorShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Synchronised batch norm on a cluster of one worker computes what one process's fused batch norm
 * computes: output and gradients (input, gamma, beta) on a batch shaped like a conv's output, with
 * many exact zeros, where rounding differences show. The formulation mirrors TensorFlow's Eigen
 * kernels operation for operation: with them (TF_ENABLE_ONEDNN_OPTS=0) output, gamma and beta
 * gradients were bit-identical and the input gradient within 1.5e-8; with oneDNN's batch norm
 * kernels (TensorFlow's default on x86) all within 1.8e-6.
 */
class SynchronisedBatchNormTest {
    static final long[] SHAPE = {12, 7, 7, 4};

    /** The all-reduces of a cluster of one: each value is already the sum over the workers. */
    record OneWorker(float batch) implements CrossWorker {
        @Override
        public Operand<TFloat32> globalMean(Ops tf, Operand<TFloat32> shardMean) {
            return shardMean;
        }

        @Override
        public Operand<TFloat32> globalSum(Ops tf, Operand<TFloat32> shardSum) {
            return shardSum;
        }

        @Override
        public Operand<TFloat32> globalBatchSize(Ops tf) {
            return tf.constant(batch);
        }

        @Override
        public boolean syncBatchNorm() {
            return true;
        }
    }

    @Test
    void oneWorkerMatchesTheFusedOpInValueAndGradient() {
        Random random = new Random(3);
        float[] x = new float[size(SHAPE)];
        for (int i = 0; i < x.length; i++) x[i] = random.nextDouble() < 0.5 ? 0f : (float) (0.2 + 0.3 * random.nextGaussian());
        float[] upstream = new float[x.length];
        for (int i = 0; i < x.length; i++) upstream[i] = (float) random.nextGaussian();
        List<float[]> fused = run(null, x, upstream);
        List<float[]> synchronised = run(new OneWorker(SHAPE[0]), x, upstream);
        String[] names = {"output", "input gradient", "gamma gradient", "beta gradient"};
        double[] differences = new double[names.length];
        for (int k = 0; k < names.length; k++) {
            differences[k] = relativeDifference(fused.get(k), synchronised.get(k));
            System.out.printf("synchronised vs fused batch norm, %s: %.3g%n", names[k], differences[k]);
        }
        double bound = "0".equals(System.getenv("TF_ENABLE_ONEDNN_OPTS")) ? 1e-7 : 2.5e-6;
        for (int k = 0; k < names.length; k++) {
            assertTrue(differences[k] < bound, names[k] + " differs by " + differences[k] + " of its largest value");
        }
    }

    /** The training output, and the gradients of sum(output * upstream) by input, gamma and beta. */
    private static List<float[]> run(CrossWorker cluster, float[] x, float[] upstream) {
        BatchNorm bn = new BatchNorm(1e-3, 0.9, true, true);
        try (CompiledModel model = new GraphLowerer().lower(analyze(TensorShape.of(7, 7, 4), chain(bn)),
                new LoweringOptions(5, null, cluster));
             Session session = new Session(model.graph());
             TFloat32 input = tensor(SHAPE, x);
             TFloat32 weights = tensor(SHAPE, upstream)) {
            Ops tf = Ops.create(model.graph());
            var weighting = tf.placeholder(TFloat32.class);
            Operand<TFloat32> y = model.output(Mode.TRAINING);
            Operand<TFloat32> loss = tf.sum(tf.math.mul(y, weighting), tf.constant(new int[] {0, 1, 2, 3}));
            List<Output<?>> with = new ArrayList<>(List.of(model.input().asOutput()));
            model.trainableVariables().forEach(w -> with.add(w.read().asOutput()));
            Output<?>[] gradients = model.graph().addGradients(loss.asOutput(), with.toArray(Output[]::new));
            session.initialize();
            Session.Runner runner = session.runner().feed(model.input(), input).feed(weighting, weights).fetch(y);
            for (Output<?> gradient : gradients) runner.fetch(gradient);
            List<float[]> out = new ArrayList<>();
            try (Result result = runner.run()) {
                for (int i = 0; i < result.size(); i++) out.add(values(result.get(i)));
            }
            return out;
        }
    }

    private static double relativeDifference(float[] expected, float[] actual) {
        double scale = 0;
        double difference = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            difference = Math.max(difference, Math.abs(expected[i] - actual[i]));
        }
        return difference / scale;
    }
}
