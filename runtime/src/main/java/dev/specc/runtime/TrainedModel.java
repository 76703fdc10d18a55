package dev.specc.runtime;

import dev.specc.config.Precision;
import dev.specc.lower.CompiledModel;
import dev.specc.lower.GraphLowerer;
import dev.specc.lower.LoweringOptions;
import dev.specc.runtime.data.Shard;
import dev.specc.runtime.io.KerasH5Weights;
import dev.specc.runtime.io.Safetensors;
import dev.specc.runtime.io.SavedModelExport;
import dev.specc.runtime.io.WeightIO;
import dev.specc.runtime.io.WeightLoadException;
import dev.specc.runtime.report.EvaluationReport;
import dev.specc.runtime.run.RunDirectory;
import dev.specc.runtime.train.Evaluator;
import dev.specc.runtime.train.TrainingGraph;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Session;

/** A spec compiled with the weights of a checkpoint: for eval, predict and export. */
public final class TrainedModel implements AutoCloseable {
    private final Prepared prepared;
    private final CompiledModel model;
    private final TrainingGraph graph;
    private final Session session;
    private final Checkpoints checkpoints;
    private final List<String> classNames;
    private final int threads;
    private final ComputePrecision precision;

    private TrainedModel(Prepared prepared, CompiledModel model, TrainingGraph graph, Session session,
                         Checkpoints checkpoints, List<String> classNames, int threads, ComputePrecision precision) {
        this.threads = threads;
        this.precision = precision;
        this.prepared = prepared;
        this.model = model;
        this.graph = graph;
        this.session = session;
        this.checkpoints = checkpoints;
        this.classNames = classNames;
    }

    /** {@code precision}: --precision, or null for the spec's train.precision. */
    public static TrainedModel load(Prepared prepared, Path checkpoint, int threads, Precision precision) throws IOException {
        return load(prepared, checkpoint, threads, ComputePrecision.resolve(precision, prepared.train().precision()));
    }

    /** With the precision already decided (a run's own, for --run). */
    public static TrainedModel load(Prepared prepared, Path checkpoint, int threads, ComputePrecision computed)
            throws IOException {
        CompiledModel model = new GraphLowerer().lower(prepared.checked().analysis(), new LoweringOptions(prepared.train().seed()));
        Session session = null;
        try {
            TrainingGraph graph = new TrainingGraph(model, prepared.train());
            session = Sessions.open(model.graph(), threads, computed.precision());
            session.initialize();
            Checkpoints checkpoints = new Checkpoints(session, graph);
            restoreWeights(checkpoints, checkpoint);
            return new TrainedModel(prepared, model, graph, session, checkpoints, Checkpoints.classNames(checkpoint), threads,
                    computed);
        } catch (IOException | RuntimeException e) {
            if (session != null) session.close();
            model.close();
            throw e;
        }
    }

    private static void restoreWeights(Checkpoints checkpoints, Path checkpoint) throws IOException {
        try {
            checkpoints.restoreWeights(checkpoint);
        } catch (WeightLoadException e) {
            if (e.report() == null) throw e;
            throw new WeightLoadException(e.report().refusal(checkpointRemedy(checkpoint)), e.report());
        }
    }

    /** A checkpoint that does not fit its spec was most often trained with --set overrides that were not repeated. */
    static String checkpointRemedy(Path checkpoint) {
        Path folder = checkpoint.toAbsolutePath().getParent();
        Path runDir = folder == null ? null : folder.getParent();
        boolean inRun = runDir != null && Files.isRegularFile(runDir.resolve(RunDirectory.SPEC));
        Path shown = checkpoint.getParent() != null && checkpoint.getParent().getParent() != null
                ? checkpoint.getParent().getParent() : runDir;
        return "the checkpoint is of another network than this spec compiles to (was its run made with --set "
                + "overrides?): load it with --run " + (inRun ? shown : "RUN_DIR")
                + ", which compiles the spec the run trained (its " + RunDirectory.SPEC + ")";
    }

    public CompiledModel model() {
        return model;
    }

    public ComputePrecision precision() {
        return precision;
    }

    public Session session() {
        return session;
    }

    /** The --threads this model's sessions run with (0: one per core), which data decoding shares. */
    public int threads() {
        return threads;
    }

    public Prepared prepared() {
        return prepared;
    }

    /** Class names from the checkpoint, else the data section's, else "class N". */
    public List<String> classNames() {
        if (!classNames.isEmpty()) return classNames;
        if (prepared.data().classNames() != null) return prepared.data().classNames();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < graph.classes(); i++) names.add("class " + i);
        return names;
    }

    public EvaluationReport evaluate(PrintStream out) throws Exception {
        RunData data = RunData.load(prepared, threads, Shard.WHOLE, out, false);
        if (!data.hasOwnTest()) {
            out.println("note: " + data.noTestNote() + "; the validation split is evaluated");
        }
        try {
            return new Evaluator(graph, session, prepared.train().topK()).report(data.evaluatedSplit(), data.test(), data.classNames());
        } catch (dev.specc.runtime.data.UncheckedDataException e) {
            throw e.getCause();
        }
    }

    public void exportSafetensors(Path out) throws IOException {
        Safetensors.write(out, WeightIO.fetch(session, checkpoints.modelVariables()),
                Map.of("format", "specc-weights-1", "spec", prepared.name()));
    }

    /** The model's weights in Keras 2's HDF5 weight layout (what keras' model.load_weights reads), atomically. */
    public void exportKerasH5(Path out) throws IOException {
        KerasH5Weights.write(out, WeightIO.fetch(session, checkpoints.modelVariables()));
    }

    /**
     * Exports a SavedModel that takes raw pixels (0-255, the model's input size): the data section's
     * rescale and normalisation are part of the exported graph, as users of SavedModels expect.
     * {@code out} must be new or empty unless {@code replace} is set.
     */
    public void exportSavedModel(Path out, boolean replace) throws IOException {
        Map<String, dev.specc.runtime.io.Tensor> weights = WeightIO.fetch(session, checkpoints.modelVariables());
        try (CompiledModel raw = new GraphLowerer().lower(prepared.checked().analysis(),
                new LoweringOptions(prepared.train().seed(),
                        LoweringOptions.Preprocessing.of(prepared.data(), prepared.inputShape().channels())));
             Session exported = Sessions.open(raw.graph(), threads, precision.precision())) {
            exported.initialize();
            List<dev.specc.lower.WeightVariable> variables = new ArrayList<>(raw.trainableVariables());
            variables.addAll(raw.nonTrainableVariables());
            new WeightIO(raw.graph()).load(exported, variables, weights, false);
            SavedModelExport.export(raw, exported, out, replace);
        }
    }

    @Override
    public void close() {
        session.close();
        model.close();
    }
}
