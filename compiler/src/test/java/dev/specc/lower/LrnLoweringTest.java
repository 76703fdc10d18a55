package dev.specc.lower;

import static dev.specc.lower.TestModels.analyze;
import static dev.specc.lower.TestModels.chain;
import static dev.specc.lower.TestModels.size;
import static dev.specc.lower.TestModels.tensor;
import static dev.specc.lower.TestModels.uniform;
import static dev.specc.lower.TestModels.values;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.specc.ir.Lrn;
import dev.specc.ir.TensorShape;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LocalResponseNormalization;
import org.tensorflow.types.TFloat32;

class LrnLoweringTest {

    /** The lowering built from primitives computes what TensorFlow's LRN op computes (its forward pass is right). */
    @Test
    void matchesTheLrnOpForward() {
        Lrn lrn = new Lrn(2, 2.0, 1e-1, 0.75);
        try (CompiledModel model = new GraphLowerer().lower(analyze(TensorShape.of(3, 3, 7), chain(lrn)))) {
            Ops tf = Ops.create(model.graph()).withSubScope("reference");
            Operand<TFloat32> reference = tf.nn.localResponseNormalization(model.input(),
                    LocalResponseNormalization.depthRadius(2L), LocalResponseNormalization.bias(2f),
                    LocalResponseNormalization.alpha(1e-1f), LocalResponseNormalization.beta(0.75f));
            long[] shape = {2, 3, 3, 7};
            try (Session session = new Session(model.graph());
                 TFloat32 x = tensor(shape, uniform(new Random(2), size(shape), 3));
                 Result result = session.runner().feed(model.input(), x).fetch(model.output(Mode.INFERENCE))
                         .fetch(reference).run()) {
                float[] actual = values(result.get(0));
                float[] expected = values(result.get(1));
                for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-5, "element " + i);
            }
        }
    }
}
