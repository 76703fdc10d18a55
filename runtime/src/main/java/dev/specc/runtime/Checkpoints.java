package dev.specc.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specc.ir.WeightSpec;
import dev.specc.lower.WeightVariable;
import dev.specc.runtime.io.KerasH5Weights;
import dev.specc.runtime.io.LoadReport;
import dev.specc.runtime.io.Safetensors;
import dev.specc.runtime.io.Tensor;
import dev.specc.runtime.io.WeightIO;
import dev.specc.runtime.train.Optimizer;
import dev.specc.runtime.train.TrainState;
import dev.specc.runtime.train.TrainingGraph;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Session;

/**
 * A checkpoint is one safetensors file: every model variable under its Keras name, every
 * optimizer slot ("optimizer/conv1_conv/kernel/m"), and the {@link TrainState} as JSON in the
 * metadata ("specc.state"). One file written atomically, so weights and state never disagree.
 */
public final class Checkpoints {
    public static final String STATE_KEY = "specc.state";
    public static final String CLASSES_KEY = "specc.classes";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Session session;
    private final List<WeightVariable> all;
    private final List<WeightVariable> model;
    private final WeightIO io;
    private List<String> classNames = List.of();

    public Checkpoints(Session session, TrainingGraph graph) {
        this.session = session;
        this.io = new WeightIO(graph.model().graph());
        this.model = new ArrayList<>(graph.model().trainableVariables());
        this.model.addAll(graph.model().nonTrainableVariables());
        this.all = new ArrayList<>(model);
        for (Optimizer.Slot slot : graph.slots()) {
            all.add(new WeightVariable(slot.name(), new WeightSpec(slot.name(), slot.shape(), false,
                    WeightSpec.Initializer.ZEROS), slot.variable(), slot.variable()));
        }
    }

    /** The model's variables (no optimizer slots): what exports and --init-from deal in. */
    public List<WeightVariable> modelVariables() {
        return model;
    }

    /** Class names stored with every checkpoint, so that predict can name its answers. */
    public void classNames(List<String> names) {
        classNames = List.copyOf(names);
    }

    public void save(Path file, TrainState state) throws IOException {
        Map<String, Tensor> tensors = WeightIO.fetch(session, all);
        Safetensors.write(file, tensors, Map.of(STATE_KEY, JSON.writeValueAsString(state), "format", "specc-checkpoint-1",
                CLASSES_KEY, JSON.writeValueAsString(classNames)));
    }

    /** The class names a checkpoint was trained with (empty when it has none). */
    public static List<String> classNames(Path file) throws IOException {
        String names = Safetensors.metadata(file).get(CLASSES_KEY);
        return names == null ? List.of() : List.of(JSON.readValue(names, String[].class));
    }

    /** Restores every variable and slot (strictly: a checkpoint of another network is refused) and returns the state. */
    public TrainState restore(Path file) throws IOException {
        Safetensors.Contents contents = Safetensors.read(file);
        io.load(session, all, contents.tensors(), false);
        String state = contents.metadata().get(STATE_KEY);
        if (state == null) throw new IOException(file + " is not a specc training checkpoint (no " + STATE_KEY + ")");
        return JSON.readValue(state, TrainState.class);
    }

    /** Restores only the model's weights (for evaluation, prediction and export). */
    public void restoreWeights(Path file) throws IOException {
        Map<String, Tensor> tensors = new java.util.HashMap<>(Safetensors.read(file).tensors());
        tensors.keySet().removeIf(name -> name.startsWith("optimizer/"));
        io.load(session, model, tensors, false);
    }

    /**
     * Loads the model weights of a safetensors file (optimizer slots in it are ignored) or of a Keras
     * HDF5 weight file (told apart by its HDF5 signature); partial allows a new head.
     */
    public LoadReport initFrom(Path file, boolean partial) throws IOException {
        Map<String, Tensor> tensors = new java.util.HashMap<>(KerasH5Weights.isHdf5(file) ? KerasH5Weights.read(file)
                : Safetensors.read(file).tensors());
        tensors.keySet().removeIf(name -> name.startsWith("optimizer/"));
        return io.load(session, model, tensors, partial);
    }
}
