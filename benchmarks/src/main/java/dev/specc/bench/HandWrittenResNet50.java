package dev.specc.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Keras' ResNet50 (v1) written by hand against the TensorFlow Java API, with no specc code: the
 * baseline that the compiled spec is measured against.
 *
 * <p>Zero pad 3, conv 7x7/2 64 with bias, batch norm (epsilon 1.001e-5), relu, pad 1, max pool
 * 3/2; bottleneck stacks [3, 4, 6, 3] with 64..512 filters, the stride on the first 1x1 and a
 * projection shortcut on the first block of each stack; global average pool, dense 1000.
 * VariableV2 weights (Glorot uniform kernels, zero biases, unit gammas). One graph with a
 * training path (FusedBatchNormV3 on batch statistics, moving averages updated by Assign ops) and
 * an inference path (moving statistics) over the same variables; softmax cross-entropy on the
 * logits, gradients by {@link Graph#addGradients} on the trainable variables, SGD with momentum
 * by ApplyMomentum.
 */
public final class HandWrittenResNet50 implements AutoCloseable {
    public static final long KERAS_TRAINABLE_PARAMETERS = 25_583_592L;
    private static final float EPSILON = 1.001e-5f;
    private static final float BN_MOMENTUM = 0.99f;

    private final Graph graph = new Graph();
    private final Ops tf = Ops.create(graph);
    private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
    private final List<Variable<TFloat32>> trainable = new ArrayList<>();
    private final List<Op> updates = new ArrayList<>();
    private final int classes;
    private long seed2 = 1;
    private boolean training;

    private final Placeholder<TFloat32> input;
    private final Placeholder<TInt32> labels;
    private final Operand<TFloat32> output;
    private final Operand<TFloat32> loss;
    private final Op step;

    /**
     * Ways of writing the same network that specc's lowering uses, for finding what a difference in
     * speed comes from (ResNet50Profile); the benchmark uses none of them.
     */
    public enum Variant {
        /** The residual sum as AddN (specc's add lowering) instead of Add. */
        ADD_N,
        /** Every variable read through an Identity, gradients taken with respect to the reads (as specc). */
        IDENTITY_READS
    }

    private final java.util.Set<Variant> variants;
    private final Map<String, Operand<TFloat32>> reads = new java.util.HashMap<>();

    public HandWrittenResNet50(int size, int classes, float learningRate, float momentum) {
        this(size, classes, learningRate, momentum, java.util.EnumSet.noneOf(Variant.class));
    }

    public HandWrittenResNet50(int size, int classes, float learningRate, float momentum,
                               java.util.Set<Variant> variants) {
        this.classes = classes;
        this.variants = java.util.EnumSet.noneOf(Variant.class);
        this.variants.addAll(variants);
        input = tf.withName("input").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, size, size, 3)));
        labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));

        training = true;
        Operand<TFloat32> logits = forward(input);
        training = false;
        output = tf.withName("output").nn.softmax(forward(input));

        Operand<TFloat32> oneHot = tf.oneHot(labels, tf.constant(classes), tf.constant(1f), tf.constant(0f));
        loss = tf.withName("loss").math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, oneHot).loss(),
                tf.constant(0));
        Output<?>[] vars = new Output<?>[trainable.size()];
        for (int i = 0; i < vars.length; i++) vars[i] = read(trainable.get(i)).asOutput();
        Output<?>[] grads = graph.addGradients(loss.asOutput(), vars);
        Operand<TFloat32> lr = tf.constant(learningRate);
        Operand<TFloat32> mom = tf.constant(momentum);
        List<Op> targets = new ArrayList<>();
        for (int i = 0; i < grads.length; i++) {
            Variable<TFloat32> v = trainable.get(i);
            Variable<TFloat32> accum = tf.withName(v.op().name() + "_momentum").variable(zeros(v.shape()).make());
            @SuppressWarnings("unchecked")
            Operand<TFloat32> grad = (Operand<TFloat32>) grads[i];
            targets.add(tf.train.applyMomentum(v, accum, lr, grad, mom));
        }
        targets.addAll(updates);
        step = tf.withName("step").withControlDependencies(targets).noOp();
    }

    private Operand<TFloat32> forward(Operand<TFloat32> x) {
        x = pad(x, 3);
        x = conv(x, "conv1_conv", 64, 7, 2, "VALID");
        x = tf.nn.relu(batchNorm(x, "conv1_bn"));
        x = pad(x, 1);
        x = tf.nn.maxPool(x, tf.constant(new int[] {1, 3, 3, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
        x = stack(x, "conv2", 64, 3, 1);
        x = stack(x, "conv3", 128, 4, 2);
        x = stack(x, "conv4", 256, 6, 2);
        x = stack(x, "conv5", 512, 3, 2);
        x = tf.math.mean(x, tf.constant(new int[] {1, 2}));
        return tf.nn.biasAdd(tf.linalg.matMul(x, weight("predictions_kernel", glorot(2048, classes))),
                weight("predictions_bias", zeros(Shape.of(classes))));
    }

    private Operand<TFloat32> stack(Operand<TFloat32> x, String name, int filters, int blocks, int stride) {
        x = bottleneck(x, name + "_block1", filters, stride, true);
        for (int i = 2; i <= blocks; i++) x = bottleneck(x, name + "_block" + i, filters, 1, false);
        return x;
    }

    private Operand<TFloat32> bottleneck(Operand<TFloat32> x, String name, int filters, int stride, boolean project) {
        Operand<TFloat32> shortcut = x;
        if (project) {
            shortcut = batchNorm(conv(x, name + "_0_conv", 4 * filters, 1, stride, "VALID"), name + "_0_bn");
        }
        Operand<TFloat32> y = tf.nn.relu(batchNorm(conv(x, name + "_1_conv", filters, 1, stride, "VALID"), name + "_1_bn"));
        y = tf.nn.relu(batchNorm(conv(y, name + "_2_conv", filters, 3, 1, "SAME"), name + "_2_bn"));
        y = batchNorm(conv(y, name + "_3_conv", 4 * filters, 1, 1, "VALID"), name + "_3_bn");
        return tf.nn.relu(variants.contains(Variant.ADD_N) ? tf.math.addN(List.of(shortcut, y)) : tf.math.add(shortcut, y));
    }

    private Operand<TFloat32> conv(Operand<TFloat32> x, String name, int filters, int k, int stride, String padding) {
        long in = x.shape().get(3);
        Operand<TFloat32> kernel = weight(name + "_kernel", glorot(k, k, in, filters));
        Operand<TFloat32> bias = weight(name + "_bias", zeros(Shape.of(filters)));
        return tf.nn.biasAdd(tf.nn.conv2d(x, kernel, List.of(1L, (long) stride, (long) stride, 1L), padding), bias);
    }

    private Operand<TFloat32> batchNorm(Operand<TFloat32> x, String name) {
        Shape c = Shape.of(x.shape().get(3));
        Operand<TFloat32> gamma = weight(name + "_gamma", ones(c));
        Operand<TFloat32> beta = weight(name + "_beta", zeros(c));
        Variable<TFloat32> mean = statistic(name + "_moving_mean", zeros(c));
        Variable<TFloat32> variance = statistic(name + "_moving_variance", ones(c));
        FusedBatchNorm.Options eps = FusedBatchNorm.epsilon(EPSILON);
        if (!training) {
            return tf.nn.fusedBatchNorm(x, gamma, beta, read(mean), read(variance), eps,
                    FusedBatchNorm.isTraining(false)).y();
        }
        Operand<TFloat32> none = tf.constant(new float[0]);
        FusedBatchNorm<TFloat32, TFloat32> bn = tf.nn.fusedBatchNorm(x, gamma, beta, none, none, eps,
                FusedBatchNorm.isTraining(true));
        updates.add(tf.assign(mean, movingAverage(mean, bn.batchMean())));
        updates.add(tf.assign(variance, movingAverage(variance, bn.batchVariance())));
        return bn.y();
    }

    /** Keras ZeroPadding2D: zeros around height and width. */
    private Operand<TFloat32> pad(Operand<TFloat32> x, int p) {
        return tf.pad(x, tf.constant(new int[][] {{0, 0}, {p, p}, {p, p}, {0, 0}}), tf.constant(0f));
    }

    private Operand<TFloat32> movingAverage(Variable<TFloat32> moving, Operand<TFloat32> batch) {
        return tf.math.add(tf.math.mul(read(moving), tf.constant(BN_MOMENTUM)), tf.math.mul(batch, tf.constant(1 - BN_MOMENTUM)));
    }

    /** A trainable variable, created on the first (training) pass and shared by the second. */
    private Operand<TFloat32> weight(String name, InitialValue init) {
        Variable<TFloat32> v = variables.get(name);
        if (v == null) {
            v = tf.withName(name).variable(init.make());
            variables.put(name, v);
            trainable.add(v);
        }
        return read(v);
    }

    private Variable<TFloat32> statistic(String name, InitialValue init) {
        return variables.computeIfAbsent(name, n -> tf.withName(n).variable(init.make()));
    }

    /** The variable itself, or with IDENTITY_READS its one Identity read. */
    private Operand<TFloat32> read(Variable<TFloat32> v) {
        if (!variants.contains(Variant.IDENTITY_READS)) return v;
        return reads.computeIfAbsent(v.op().name(), n -> tf.withName(n + "_read").identity(v));
    }

    private interface InitialValue {
        Operand<TFloat32> make();
    }

    private InitialValue zeros(Shape shape) {
        return () -> filled(shape, 0f);
    }

    private InitialValue ones(Shape shape) {
        return () -> filled(shape, 1f);
    }

    private Operand<TFloat32> filled(Shape shape, float value) {
        Ops init = tf.withInitScope();
        return init.fill(init.constant(shape.asArray()), init.constant(value));
    }

    /** Glorot uniform: limit sqrt(6 / (fan_in + fan_out)), receptive field times channels. */
    private InitialValue glorot(long... dims) {
        return () -> {
            Ops init = tf.withInitScope();
            long all = 1;
            for (long d : dims) all *= d;
            float limit = (float) Math.sqrt(6.0 / (all / dims[dims.length - 1] + all / dims[dims.length - 2]));
            Operand<TFloat32> unit = init.random.randomUniform(init.constant(dims), TFloat32.class,
                    RandomUniform.seed(7L), RandomUniform.seed2(seed2++));
            return init.math.sub(init.math.mul(unit, init.constant(2 * limit)), init.constant(limit));
        };
    }

    public Graph graph() {
        return graph;
    }

    public long trainableParameters() {
        long n = 0;
        for (Variable<TFloat32> v : trainable) n += v.shape().size();
        return n;
    }

    public Placeholder<TFloat32> input() {
        return input;
    }

    public Operand<TFloat32> output() {
        return output;
    }

    public Operand<TFloat32> loss() {
        return loss;
    }

    public Op step() {
        return step;
    }

    /** One training step; returns the batch's loss. */
    public float train(Session session, TFloat32 images, TInt32 batchLabels) {
        try (Result r = session.runner().feed(input, images).feed(labels, batchLabels).fetch(loss).addTarget(step).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    @Override
    public void close() {
        graph.close();
    }
}
