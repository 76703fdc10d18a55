package dev.specc.runtime.io;

import dev.specc.Pipeline;
import dev.specc.diag.SpecException;
import dev.specc.lower.CompiledModel;
import dev.specc.lower.GraphLowerer;
import dev.specc.lower.Mode;
import dev.specc.lower.WeightVariable;
import dev.specc.shapes.Analysis;
import dev.specc.weights.WeightMapping;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A spec compiled, its weights loaded from a file the way --init-from loads them (strictly), and its
 * logits (the input of the final softmax) computed for an NHWC batch: what the PyTorch comparisons use.
 */
final class TorchLogits implements AutoCloseable {
    final CompiledModel model;
    final Session session;
    final InitialWeights.Plan plan;

    private TorchLogits(CompiledModel model, Session session, InitialWeights.Plan plan) {
        this.model = model;
        this.session = session;
        this.plan = plan;
    }

    static TorchLogits load(Path spec, Path weights, WeightMapping mapping) throws IOException, SpecException {
        Analysis analysis = Pipeline.analyze(spec, Pipeline.Options.DEFAULT);
        CompiledModel model = new GraphLowerer().lower(analysis);
        Session session = new Session(model.graph());
        try {
            List<WeightVariable> variables = new ArrayList<>(model.trainableVariables());
            variables.addAll(model.nonTrainableVariables());
            InitialWeights.Plan plan = InitialWeights.plan(weights, mapping, TargetLayers.of(analysis), variables, false);
            new WeightIO(model.graph()).assign(session, plan.report().loaded(), plan.mapped().tensors());
            return new TorchLogits(model, session, plan);
        } catch (IOException | RuntimeException e) {
            session.close();
            model.close();
            throw e;
        }
    }

    float[] logits(long[] nhwc, float[] input) {
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(nhwc), DataBuffers.of(input));
             Result result = session.runner().feed(model.input(), x).fetch(model.logits(Mode.INFERENCE)).run()) {
            TFloat32 y = (TFloat32) result.get(0);
            float[] out = new float[(int) y.size()];
            y.copyTo(DataBuffers.of(out, false, false));
            return out;
        }
    }

    @Override
    public void close() {
        session.close();
        model.close();
    }
}
