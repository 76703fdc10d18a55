package dev.specc.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.specc.lower.CompiledModel;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A layer whose output nothing reads (drn.py gives DRN-C-58's level 7 such a projection) still has its
 * weights; training leaves them as they are, as PyTorch leaves a parameter without a gradient.
 */
class UnusedWeightsTest {
    @TempDir
    Path dir;

    @Test
    void aStepLeavesWeightsTheLossDoesNotReachAndMovesTheOthers() throws Exception {
        String yaml = """
                specc: 1
                name: dead
                input: {shape: [4]}
                head:
                  - {kind: dense, name: unused, units: 3, id: unused}
                  - {kind: dense, name: predictions, units: 2, activation: softmax, from: input}
                """;
        for (String optimizer : new String[] {"{type: sgd, momentum: 0.9}", "{type: adam}", "{type: rmsprop}"}) {
            try (CompiledModel model = Nets.compile(dir, "dead", yaml);
                 Session session = new Session(model.graph())) {
                TrainingGraph graph = new TrainingGraph(model, Nets.config("optimizer: " + optimizer));
                session.initialize();
                float[] unusedBefore = Nets.value(session, Nets.weight(model, "unused/kernel"));
                float[] usedBefore = Nets.value(session, Nets.weight(model, "predictions/kernel"));
                try (TFloat32 x = TFloat32.tensorOf(Shape.of(2, 4), DataBuffers.of(new float[] {1, 2, 3, 4, -1, 0, 1, 2}));
                     TInt32 y = TInt32.tensorOf(Shape.of(2), DataBuffers.of(new int[] {0, 1}));
                     TFloat32 lr = TFloat32.scalarOf(0.1f);
                     TFloat32 b1 = TFloat32.scalarOf(0.9f);
                     TFloat32 b2 = TFloat32.scalarOf(0.999f)) {
                    Session.Runner step = session.runner().feed(model.input(), x).feed(graph.labels(), y)
                            .feed(graph.learningRate(), lr);
                    Optimizer o = graph.optimizer();
                    if (o.beta1Power() != null) step.feed(o.beta1Power(), b1).feed(o.beta2Power(), b2);
                    graph.stepTargets().forEach(step::addTarget);
                    step.run();
                }
                assertArrayEquals(unusedBefore, Nets.value(session, Nets.weight(model, "unused/kernel")), optimizer);
                assertFalse(Arrays.equals(usedBefore, Nets.value(session, Nets.weight(model, "predictions/kernel"))), optimizer);
            }
        }
    }
}
