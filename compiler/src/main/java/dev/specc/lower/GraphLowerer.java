package dev.specc.lower;

import dev.specc.ir.Conv2dTranspose;
import dev.specc.ir.Model;
import dev.specc.ir.WeightSpec;
import dev.specc.shapes.Analysis;
import dev.specc.shapes.AnalyzedNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Lowers an analysed model into one TensorFlow graph: the input placeholder, one VariableV2 per
 * weight ({@code <node>/<weight>}), and a training and an inference forward path over them (see
 * {@link CompiledModel}). The two paths replace a runtime switch, which would need Switch/Merge,
 * ops without gradients in TF Java.
 */
public final class GraphLowerer {

    private final LoweringRegistry registry;

    public GraphLowerer() {
        this(LoweringRegistry.standard());
    }

    public GraphLowerer(LoweringRegistry registry) {
        this.registry = registry;
    }

    public CompiledModel lower(Analysis analysis) {
        return lower(analysis, LoweringOptions.defaults());
    }

    public CompiledModel lower(Analysis analysis, LoweringOptions options) {
        for (AnalyzedNode n : analysis.nodes()) {
            // The resolver refuses these names with the spec position: only a model built in code can carry one.
            if (Model.RESERVED_NAMES.contains(n.node().name())) {
                throw new IllegalArgumentException("layer name '" + n.node().name()
                        + "' is reserved in the lowered graph (reserved: " + Model.RESERVED_NAMES + ")");
            }
        }
        Graph graph = new Graph();
        try {
            return build(graph, analysis, options);
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    private CompiledModel build(Graph graph, Analysis analysis, LoweringOptions options) {
        Ops tf = Ops.create(graph);
        long[] inputDims = LongStream.concat(LongStream.of(-1),
                Arrays.stream(analysis.model().inputShape().dims()).asLongStream()).toArray();
        Placeholder<TFloat32> input = tf.withName(Model.INPUT).placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(inputDims)));
        requireName(input, Model.INPUT);
        Operand<TFloat32> pixels = options.preprocessing() == null ? input : preprocess(tf, input, options.preprocessing());

        // TF Java's withSubScope scans every op already in the graph, which makes building a large
        // graph quadratic (seconds for ResNet50). All scopes are therefore made while the graph
        // holds only the input and its preprocessing, and ops are then added to them. A scope
        // whose name is taken gets a suffix (preprocessing_1): the names made before the layers'
        // scopes are reserved (Model.RESERVED_NAMES), so a layer's weights keep their names.
        Scopes scopes = new Scopes(tf, analysis);

        AtomicLong seed2 = new AtomicLong(1);
        Map<String, Map<String, WeightVariable>> weightsByNode = new HashMap<>();
        List<WeightVariable> trainable = new ArrayList<>();
        List<WeightVariable> nonTrainable = new ArrayList<>();
        for (AnalyzedNode n : analysis.nodes()) {
            if (n.weights().isEmpty()) continue;
            Ops scope = scopes.weights(n.node().name());
            Map<String, WeightVariable> weights = new LinkedHashMap<>();
            for (WeightSpec spec : n.weights()) {
                WeightVariable v = variable(scope, scopes.initializer(n.node().name(), spec.name()), n.node().name(), spec,
                        options.seed(), seed2.getAndIncrement());
                weights.put(spec.name(), v);
                (spec.trainable() ? trainable : nonTrainable).add(v);
            }
            weightsByNode.put(n.node().name(), weights);
        }

        Operand<TInt64> stepSeed = scopes.path(Mode.TRAINING).withName("seed")
                .placeholderWithDefault(tf.constant(0L), Shape.scalar());
        requireName(stepSeed, Mode.TRAINING.scope() + "/seed");
        Map<Mode, Operand<TFloat32>> outputs = new EnumMap<>(Mode.class);
        Map<Mode, Operand<TFloat32>> logits = new EnumMap<>(Mode.class);
        List<Op> updates = new ArrayList<>();
        Map<String, Operand<TFloat32>> layerOutputs = new LinkedHashMap<>();
        String activation = "none";
        for (Mode mode : Mode.values()) {
            Ops path = scopes.path(mode);
            Map<String, Operand<TFloat32>> values = new HashMap<>();
            values.put(Model.INPUT, pixels);
            for (AnalyzedNode n : analysis.nodes()) {
                List<Operand<TFloat32>> inputs = n.node().inputs().stream().map(values::get).toList();
                LoweringContext ctx = new LoweringContext(scopes.node(mode, n.node().name()), mode, n,
                        weightsByNode.getOrDefault(n.node().name(), Map.of()), updates, options.seed(),
                        seed2::getAndIncrement, stepSeed, options.crossWorker());
                values.put(n.node().name(), registry.lower(n.node().layer(), ctx, inputs));
            }
            if (mode == Mode.INFERENCE) {
                for (AnalyzedNode n : analysis.nodes()) layerOutputs.put(n.node().name(), values.get(n.node().name()));
            }
            Operand<TFloat32> last = values.get(analysis.output().node().name());
            Operand<TFloat32> output = mode == Mode.INFERENCE
                    ? tf.withName(Model.OUTPUT).identity(last)
                    : path.withName(Model.OUTPUT).identity(last);
            requireName(output, mode == Mode.INFERENCE ? Model.OUTPUT : mode.scope() + "/" + Model.OUTPUT);
            outputs.put(mode, output);
            Head head = head(last);
            if (head != null) {
                logits.put(mode, head.logits());
                activation = head.activation();
            }
        }
        return new CompiledModel(graph, input, outputs, logits, activation, layerOutputs, stepSeed, trainable, nonTrainable,
                updates);
    }

    private static Operand<TFloat32> preprocess(Ops tf, Operand<TFloat32> input, LoweringOptions.Preprocessing p) {
        Ops scope = tf.withSubScope(Model.PREPROCESSING);
        Operand<TFloat32> x = input;
        if (p.reverseChannels()) x = scope.reverse(x, scope.constant(new int[] {-1}));
        if (p.rescale() != 1) x = scope.math.mul(x, scope.constant(p.rescale()));
        if (p.divisor() != 1) x = scope.math.div(x, scope.constant(p.divisor()));
        return scope.math.div(scope.math.sub(x, scope.constant(p.mean())), scope.constant(p.std()));
    }

    private static WeightVariable variable(Ops scope, Ops initScope, String node, WeightSpec spec, long seed, long seed2) {
        Operand<TFloat32> init = initialValue(initScope, spec, seed, seed2);
        Variable<TFloat32> variable = scope.withName(spec.name()).variable(init);
        String name = node + "/" + spec.name();
        requireName(variable, name);
        return new WeightVariable(name, spec, variable, scope.withName(spec.name() + "_read").identity(variable));
    }

    /** A final softmax, log-softmax or sigmoid, and its input: what losses are computed from, for numerical stability. */
    private record Head(Operand<TFloat32> logits, String activation) {
    }

    /** The head of a path's last op, or null when it ends in none of those; a log-softmax may sit in a [-1, classes] view. */
    @SuppressWarnings("unchecked")
    private static Head head(Operand<TFloat32> last) {
        GraphOperation op = (GraphOperation) last.op();
        switch (op.type()) {
            case "Softmax" -> {
                return new Head((Operand<TFloat32>) op.input(0), "softmax");
            }
            case "Sigmoid" -> {
                return new Head((Operand<TFloat32>) op.input(0), "sigmoid");
            }
            case "LogSoftmax" -> {
                return new Head((Operand<TFloat32>) op.input(0), "log_softmax");
            }
            case "Reshape" -> {
                GraphOperation inner = (GraphOperation) op.input(0).op();
                if (!inner.type().equals("LogSoftmax") || !inner.input(0).op().type().equals("Reshape")) return null;
                return new Head((Operand<TFloat32>) ((GraphOperation) inner.input(0).op()).input(0), "log_softmax");
            }
            default -> {
                return null;
            }
        }
    }

    /** Every sub-scope the lowering uses, created up front (see build). */
    private static final class Scopes {
        private final Map<String, Ops> weights = new HashMap<>();
        private final Map<String, Ops> initializers = new HashMap<>();
        private final Map<Mode, Ops> paths = new EnumMap<>(Mode.class);
        private final Map<Mode, Map<String, Ops>> nodes = new EnumMap<>(Mode.class);

        Scopes(Ops tf, Analysis analysis) {
            for (AnalyzedNode n : analysis.nodes()) {
                if (n.weights().isEmpty()) continue;
                Ops scope = tf.withSubScope(n.node().name());
                weights.put(n.node().name(), scope);
                for (WeightSpec spec : n.weights()) {
                    initializers.put(n.node().name() + "/" + spec.name(), scope.withInitScope().withSubScope(spec.name() + "_init"));
                }
            }
            for (Mode mode : Mode.values()) {
                Ops path = tf.withSubScope(mode.scope());
                paths.put(mode, path);
                Map<String, Ops> byNode = new HashMap<>();
                for (AnalyzedNode n : analysis.nodes()) byNode.put(n.node().name(), path.withSubScope(n.node().name()));
                nodes.put(mode, byNode);
            }
        }

        Ops weights(String node) {
            return weights.get(node);
        }

        Ops initializer(String node, String weight) {
            return initializers.get(node + "/" + weight);
        }

        Ops path(Mode mode) {
            return paths.get(mode);
        }

        Ops node(Mode mode, String node) {
            return nodes.get(mode).get(node);
        }
    }

    private static Operand<TFloat32> initialValue(Ops tf, WeightSpec spec, long seed, long seed2) {
        Operand<TInt64> shape = tf.constant(spec.shape());
        return switch (spec.initializer()) {
            // Fill rather than tf.zeros/tf.ones, which open a sub-scope (a scan of the whole graph) each.
            case ZEROS -> tf.fill(shape, tf.constant(0f));
            case ONES -> tf.fill(shape, tf.constant(1f));
            case BILINEAR -> tf.constant(bilinear(spec.shape()));
            case GLOROT_UNIFORM -> {
                float limit = (float) glorotLimit(spec.shape());
                Operand<TFloat32> unit = tf.random.randomUniform(shape, TFloat32.class, RandomUniform.seed(seed),
                        RandomUniform.seed2(seed2));
                yield tf.math.sub(tf.math.mul(unit, tf.constant(2 * limit)), tf.constant(limit));
            }
        };
    }

    /**
     * A [kh, kw, filters / groups, in] transposed-convolution kernel whose filter from each input
     * channel to its own output channel is the bilinear kernel, and zero elsewhere: with filters
     * equal to the input channels, output channel i of group g is g * (filters / groups) + o, the
     * input's own channel when o = i mod (filters / groups).
     */
    static float[][][][] bilinear(long[] shape) {
        double[] rows = Conv2dTranspose.bilinearTaps((int) shape[0]);
        double[] cols = Conv2dTranspose.bilinearTaps((int) shape[1]);
        int perGroup = (int) shape[2];
        float[][][][] kernel = new float[(int) shape[0]][(int) shape[1]][perGroup][(int) shape[3]];
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < cols.length; x++) {
                for (int i = 0; i < shape[3]; i++) kernel[y][x][i % perGroup][i] = (float) (rows[y] * cols[x]);
            }
        }
        return kernel;
    }

    /** sqrt(6 / (fan_in + fan_out)): fan_in multiplies all dims but the last, fan_out all but the one before it. */
    static double glorotLimit(long[] shape) {
        long all = 1;
        for (long d : shape) all *= d;
        long fanIn = shape.length < 2 ? all : all / shape[shape.length - 1];
        long fanOut = shape.length < 2 ? all : all / shape[shape.length - 2];
        return Math.sqrt(6.0 / (fanIn + fanOut));
    }

    private static void requireName(Operand<?> operand, String expected) {
        String actual = operand.op().name();
        if (!actual.equals(expected)) {
            throw new IllegalStateException("lowering named an op '" + actual + "' instead of '" + expected + "'");
        }
    }
}
