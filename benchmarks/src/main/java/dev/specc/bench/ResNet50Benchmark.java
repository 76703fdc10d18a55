package dev.specc.bench;

import dev.specc.Pipeline;
import dev.specc.config.Precision;
import dev.specc.lower.CompiledModel;
import dev.specc.lower.GraphLowerer;
import dev.specc.runtime.ComputeDevice;
import dev.specc.runtime.Sessions;
import dev.specc.shapes.Analysis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * ResNet50 training and inference speed in one JVM: specc's compiled spec in float32 and in
 * bfloat16 (two sessions of one graph, {@link Sessions}), and the same network written by hand
 * (float32). All get the same warm-up, the same fed tensors (created once, before any timing) and
 * the same session threads, and their timed steps alternate in rounds (ABC, CBA, ...) so that drift
 * of the machine hits them alike. Before them, the machine's float32 and bfloat16 MatMul peak
 * ({@link MatmulPeak}). Prints a table and writes JSON.
 *
 * <pre>
 * java -cp ... dev.specc.bench.ResNet50Benchmark [--spec specs/resnet50.yaml] [--batch 16]
 *     [--train-warmup 3] [--train-steps 10] [--infer-warmup 5] [--infer-steps 20] [--rounds 0]
 *     [--threads CORES] [--matmul 4096] [--matmul-runs 4] [--out FILE.json] [--ops]
 * </pre>
 */
public final class ResNet50Benchmark {
    private static final int SIZE = 224;
    private static final int CLASSES = 1000;
    private static final float LEARNING_RATE = 0.01f;
    private static final float MOMENTUM = 0.9f;

    private ResNet50Benchmark() {
    }

    /** One network in one session, stepping one mode. */
    record Contestant(String name, Consumer<Timing> step, Timing timing) {
    }

    /** One timed measurement: step count and seconds, summed over the rounds. */
    static final class Timing {
        final List<Double> stepSeconds = new ArrayList<>();
        final List<Double> roundImagesPerSecond = new ArrayList<>();
        float lastLoss = Float.NaN;

        double seconds() {
            return stepSeconds.stream().mapToDouble(Double::doubleValue).sum();
        }

        double imagesPerSecond(int batch) {
            return batch * stepSeconds.size() / seconds();
        }

        /** From the median step time: robust against the odd slow step of a shared machine. */
        double medianImagesPerSecond(int batch) {
            return batch / median(stepSeconds);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = parse(args);
        Path spec = Path.of(opt.getOrDefault("spec", "specs/resnet50.yaml"));
        int batch = Integer.parseInt(opt.getOrDefault("batch", "16"));
        int trainWarmup = Integer.parseInt(opt.getOrDefault("train-warmup", "3"));
        int trainSteps = Integer.parseInt(opt.getOrDefault("train-steps", "10"));
        int inferWarmup = Integer.parseInt(opt.getOrDefault("infer-warmup", "5"));
        int inferSteps = Integer.parseInt(opt.getOrDefault("infer-steps", "20"));
        // 0: alternate every step (the timed steps of specc and hand-written in ABBA order).
        int rounds = Integer.parseInt(opt.getOrDefault("rounds", "0"));
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = Integer.parseInt(opt.getOrDefault("threads", String.valueOf(cores)));
        int matmulSize = Integer.parseInt(opt.getOrDefault("matmul", "4096"));
        int matmulRuns = Integer.parseInt(opt.getOrDefault("matmul-runs", "4"));
        Path out = opt.containsKey("out") ? Path.of(opt.get("out")) : null;

        String cpu = cpuModel();
        // On a GPU (the launcher's -Dspecc.device=gpu), the mixed-precision side is float16 with loss scaling.
        ComputeDevice device = ComputeDevice.current();
        Precision mixed = device.gpu() ? Precision.FLOAT16 : Precision.BFLOAT16;
        String mixedKey = device.gpu() ? "specc_fp16" : "specc_bf16";
        System.out.printf(Locale.ROOT, "machine: %d cores, %s; Java %s (%s); TensorFlow %s; %s%n", cores, cpu,
                System.getProperty("java.version"), System.getProperty("java.vm.name"), TensorFlow.version(),
                device.describe());
        System.out.printf(Locale.ROOT, "ResNet50 %dx%dx3, %d classes, batch %d; training %d warm-up + %d timed steps, "
                        + "inference %d + %d, %s; session threads intra = inter = %d%n",
                SIZE, SIZE, CLASSES, batch, trainWarmup, trainSteps, inferWarmup, inferSteps,
                rounds <= 0 ? "alternating every step" : rounds + " alternating rounds", threads);

        List<MatmulPeak.Peak> peaks;
        try (MatmulPeak matmul = new MatmulPeak(matmulSize)) {
            peaks = matmul.measure(threads, 1, matmulRuns);
        }
        System.out.printf(Locale.ROOT, "MatMul %dx%d peak (best of %d): float32 %.1f GFLOP/s, bfloat16 %.1f GFLOP/s "
                        + "(medians %.1f, %.1f)%n", matmulSize, matmulSize, matmulRuns, peaks.get(0).bestGflops(),
                peaks.get(1).bestGflops(), peaks.get(0).medianGflops(), peaks.get(1).medianGflops());

        long t0 = System.nanoTime();
        Analysis analysis = Pipeline.analyze(spec, Pipeline.Options.DEFAULT);
        CompiledModel model = new GraphLowerer().lower(analysis);
        SpeccTrainStep speccStep = SpeccTrainStep.build(model, LEARNING_RATE, MOMENTUM, device.gpu());
        double speccBuild = (System.nanoTime() - t0) / 1e9;
        long speccParams = model.trainableVariables().stream().mapToLong(v -> v.variable().shape().size()).sum();

        t0 = System.nanoTime();
        HandWrittenResNet50 hand = new HandWrittenResNet50(SIZE, CLASSES, LEARNING_RATE, MOMENTUM);
        double handBuild = (System.nanoTime() - t0) / 1e9;
        if (hand.trainableParameters() != HandWrittenResNet50.KERAS_TRAINABLE_PARAMETERS) {
            throw new IllegalStateException("hand-written ResNet50 has " + hand.trainableParameters()
                    + " trainable parameters, Keras' has " + HandWrittenResNet50.KERAS_TRAINABLE_PARAMETERS);
        }
        if (speccParams != HandWrittenResNet50.KERAS_TRAINABLE_PARAMETERS) {
            throw new IllegalStateException("specc's ResNet50 has " + speccParams + " trainable parameters");
        }
        System.out.printf(Locale.ROOT, "graphs built: specc %.1f s (spec to graph, with gradients), hand-written %.1f s; "
                + "trainable parameters %,d in both%n", speccBuild, handBuild, speccParams);

        // What each run executes, before Grappler: the ops each fetch reaches.
        Map<String, Integer> speccTrainOps = opTypes(List.of(speccStep.loss(), speccStep.step()));
        Map<String, Integer> handTrainOps = opTypes(List.of(hand.loss(), hand.step()));
        Map<String, Integer> speccInferOps = opTypes(List.of(model.output(dev.specc.lower.Mode.INFERENCE)));
        Map<String, Integer> handInferOps = opTypes(List.of(hand.output()));
        printOpComparison("training step", speccTrainOps, handTrainOps, opt.containsKey("ops"));
        printOpComparison("inference", speccInferOps, handInferOps, opt.containsKey("ops"));

        Random random = new Random(2024);
        float[] pixels = new float[batch * SIZE * SIZE * 3];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (float) random.nextGaussian();
        int[] classes = new int[batch];
        for (int i = 0; i < batch; i++) classes[i] = random.nextInt(CLASSES);

        Timing speccTrain = new Timing();
        Timing speccMixedTrain = new Timing();
        Timing handTrain = new Timing();
        Timing speccInfer = new Timing();
        Timing speccMixedInfer = new Timing();
        Timing handInfer = new Timing();
        Operand<TFloat32> speccOutput = model.output(dev.specc.lower.Mode.INFERENCE);
        try (TFloat32 images = TFloat32.tensorOf(Shape.of(batch, SIZE, SIZE, 3), DataBuffers.of(pixels, true, false));
             TInt32 labels = TInt32.vectorOf(classes);
             Session speccSession = Sessions.open(model.graph(), threads, Precision.FLOAT32);
             Session speccMixedSession = Sessions.open(model.graph(), threads, mixed);
             Session handSession = Sessions.open(hand.graph(), threads, Precision.FLOAT32)) {
            speccSession.initialize();
            speccMixedSession.initialize();
            handSession.initialize();
            measure("training", batch, trainWarmup, trainSteps, rounds, List.of(
                    new Contestant("specc", t -> t.lastLoss = speccStep.run(speccSession, images, labels), speccTrain),
                    new Contestant("specc " + mixed.spelling(), t -> t.lastLoss = speccStep.run(speccMixedSession, images, labels),
                            speccMixedTrain),
                    new Contestant("hand-written", t -> t.lastLoss = hand.train(handSession, images, labels), handTrain)));
            measure("inference", batch, inferWarmup, inferSteps, rounds, List.of(
                    new Contestant("specc", t -> fetch(speccSession, model.input(), speccOutput, images), speccInfer),
                    new Contestant("specc " + mixed.spelling(), t -> fetch(speccMixedSession, model.input(), speccOutput, images),
                            speccMixedInfer),
                    new Contestant("hand-written", t -> fetch(handSession, hand.input(), hand.output(), images), handInfer)));
        }

        double trainRatio = speccTrain.imagesPerSecond(batch) / handTrain.imagesPerSecond(batch);
        double inferRatio = speccInfer.imagesPerSecond(batch) / handInfer.imagesPerSecond(batch);
        double trainMedianRatio = speccTrain.medianImagesPerSecond(batch) / handTrain.medianImagesPerSecond(batch);
        double inferMedianRatio = speccInfer.medianImagesPerSecond(batch) / handInfer.medianImagesPerSecond(batch);
        System.out.println();
        System.out.println("| images/s (batch " + batch + ") | training | inference |");
        System.out.println("| --- | ---: | ---: |");
        System.out.printf(Locale.ROOT, "| specc (specs/resnet50.yaml) | %.2f | %.2f |%n", speccTrain.imagesPerSecond(batch),
                speccInfer.imagesPerSecond(batch));
        System.out.printf(Locale.ROOT, "| specc " + mixed.spelling() + " | %.2f | %.2f |%n", speccMixedTrain.imagesPerSecond(batch),
                speccMixedInfer.imagesPerSecond(batch));
        System.out.printf(Locale.ROOT, "| hand-written TF Java graph | %.2f | %.2f |%n", handTrain.imagesPerSecond(batch),
                handInfer.imagesPerSecond(batch));
        System.out.printf(Locale.ROOT, "| specc / hand-written | %.3fx | %.3fx |%n", trainRatio, inferRatio);
        System.out.printf(Locale.ROOT, "| specc / hand-written, from median step times | %.3fx | %.3fx |%n",
                trainMedianRatio, inferMedianRatio);
        System.out.printf(Locale.ROOT, "step time spread (min..max s): training specc %s, " + mixed.spelling() + " %s, hand-written %s; "
                        + "inference specc %s, " + mixed.spelling() + " %s, hand-written %s%n", spread(speccTrain), spread(speccMixedTrain),
                spread(handTrain), spread(speccInfer), spread(speccMixedInfer), spread(handInfer));
        System.out.printf(Locale.ROOT, "last training loss: specc %.4f, " + mixed.spelling() + " %.4f, hand-written %.4f%n",
                speccTrain.lastLoss, speccMixedTrain.lastLoss, handTrain.lastLoss);

        if (out != null) {
            StringBuilder j = new StringBuilder();
            j.append("{\n");
            j.append("  \"machine\": {\"cores\": ").append(cores).append(", \"cpu\": ").append(quote(cpu))
                    .append(", \"java\": ").append(quote(System.getProperty("java.version") + " ("
                            + System.getProperty("java.vm.name") + ")"))
                    .append(", \"tensorflow\": ").append(quote(TensorFlow.version()))
                    .append(", \"tensorflow_java\": \"1.0.0\"},\n");
            j.append("  \"config\": {\"model\": \"ResNet50\", \"spec\": ").append(quote(spec.toString()))
                    .append(", \"input\": [").append(SIZE).append(", ").append(SIZE).append(", 3], \"classes\": ")
                    .append(CLASSES).append(", \"batch\": ").append(batch).append(", \"train_warmup\": ")
                    .append(trainWarmup).append(", \"train_steps\": ").append(trainSteps)
                    .append(", \"infer_warmup\": ").append(inferWarmup).append(", \"infer_steps\": ").append(inferSteps)
                    .append(", \"rounds\": ").append(rounds <= 0 ? "\"every step\"" : String.valueOf(rounds)).append(", \"intra_op_threads\": ").append(threads)
                    .append(", \"inter_op_threads\": ").append(Sessions.config(threads, Precision.FLOAT32).getInterOpParallelismThreads())
                    .append(", \"optimizer\": \"SGD lr 0.01 momentum 0.9 (ApplyMomentum)\"")
                    .append(", \"sessions\": \"dev.specc.runtime.Sessions.open(graph, threads, precision)\"},\n");
            j.append("  \"forward_macs_per_image\": ").append(analysis.macs()).append(",\n");
            j.append("  \"matmul_peak\": {\"size\": ").append(matmulSize).append(", \"runs\": ").append(matmulRuns)
                    .append(", \"float32\": ").append(MatmulPeak.json(peaks.get(0)))
                    .append(", \"bfloat16\": ").append(MatmulPeak.json(peaks.get(1))).append("},\n");
            j.append("  \"specc\": ").append(json(batch, speccTrain, speccInfer, speccBuild)).append(",\n");
            j.append("  \"" + mixedKey + "\": ").append(json(batch, speccMixedTrain, speccMixedInfer, speccBuild)).append(",\n");
            j.append("  \"hand_written\": ").append(json(batch, handTrain, handInfer, handBuild)).append(",\n");
            j.append(String.format(Locale.ROOT, "  \"ratio_specc_over_hand_written\": {\"training\": %.4f, \"inference\": %.4f},%n",
                    trainRatio, inferRatio));
            j.append(String.format(Locale.ROOT, "  \"ratio_specc_over_hand_written_median\": {\"training\": %.4f, "
                    + "\"inference\": %.4f},%n", trainMedianRatio, inferMedianRatio));
            j.append("  \"graph_op_counts\": {\"specc\": {\"training\": ").append(json(speccTrainOps))
                    .append(", \"inference\": ").append(json(speccInferOps)).append("}, \"hand_written\": {\"training\": ")
                    .append(json(handTrainOps)).append(", \"inference\": ").append(json(handInferOps)).append("}}\n");
            j.append("}\n");
            if (out.getParent() != null) Files.createDirectories(out.getParent());
            Files.writeString(out, j.toString());
            System.out.println("wrote " + out);
        }
        hand.close();
        model.close();
    }

    /** Warm-up of each, then the timed steps in rounds, the order reversed every other round (ABC, CBA). */
    private static void measure(String what, int batch, int warmup, int steps, int rounds, List<Contestant> contestants) {
        System.out.printf(Locale.ROOT, "%s: warm-up", what);
        for (Contestant c : contestants) {
            System.out.print(" " + c.name());
            for (int i = 0; i < warmup; i++) c.step().accept(c.timing());
        }
        System.out.println();
        if (rounds <= 0) rounds = steps;
        for (int r = 0; r < rounds; r++) {
            int n = steps / rounds + (r < steps % rounds ? 1 : 0);
            if (n == 0) continue;
            List<Contestant> order = new ArrayList<>(contestants);
            if (r % 2 == 1) java.util.Collections.reverse(order);
            for (Contestant c : order) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    long start = System.nanoTime();
                    c.step().accept(c.timing());
                    double s = (System.nanoTime() - start) / 1e9;
                    c.timing().stepSeconds.add(s);
                    sum += s;
                }
                c.timing().roundImagesPerSecond.add(batch * n / sum);
                if (rounds < steps) {
                    System.out.printf(Locale.ROOT, "  %s round %d, %-14s %d steps, %.3f s/step, %.2f images/s%n", what,
                            r + 1, c.name() + ":", n, sum / n, batch * n / sum);
                }
            }
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String spread(Timing t) {
        double min = t.stepSeconds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = t.stepSeconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return String.format(Locale.ROOT, "%.2f..%.2f", min, max);
    }

    private static void fetch(Session session, Operand<TFloat32> input, Operand<TFloat32> output, TFloat32 images) {
        try (Result r = session.runner().feed(input, images).fetch(output).run()) {
            if (r.size() != 1) throw new IllegalStateException();
        }
    }

    /** Op types (and counts) of everything the given ops depend on, control inputs included. */
    static Map<String, Integer> opTypes(List<org.tensorflow.op.Op> roots) {
        Map<String, Integer> counts = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        Deque<GraphOperation> todo = new ArrayDeque<>();
        for (org.tensorflow.op.Op op : roots) todo.add((GraphOperation) op.op());
        while (!todo.isEmpty()) {
            GraphOperation op = todo.pop();
            if (!seen.add(op.name())) continue;
            counts.merge(op.type(), 1, Integer::sum);
            for (int i = 0; i < op.numInputs(); i++) todo.push((GraphOperation) op.input(i).op());
            todo.addAll(op.controlInputs());
        }
        return counts;
    }

    private static void printOpComparison(String what, Map<String, Integer> specc, Map<String, Integer> hand,
                                          boolean all) {
        int speccTotal = specc.values().stream().mapToInt(Integer::intValue).sum();
        int handTotal = hand.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf(Locale.ROOT, "graph ops reached by the %s: specc %d, hand-written %d%n", what, speccTotal,
                handTotal);
        Set<String> types = new TreeSet<>(specc.keySet());
        types.addAll(hand.keySet());
        for (String type : types) {
            int s = specc.getOrDefault(type, 0);
            int h = hand.getOrDefault(type, 0);
            if (all || s != h) System.out.printf(Locale.ROOT, "    %-40s specc %5d   hand-written %5d%n", type, s, h);
        }
    }

    private static String json(int batch, Timing train, Timing infer, double buildSeconds) {
        return String.format(Locale.ROOT, "{\"training_images_per_s\": %.4f, \"inference_images_per_s\": %.4f, "
                        + "\"training_images_per_s_median_step\": %.4f, \"inference_images_per_s_median_step\": %.4f, "
                        + "\"training_round_images_per_s\": %s, \"inference_round_images_per_s\": %s, "
                        + "\"training_step_s\": %s, \"inference_step_s\": %s, \"last_training_loss\": %s, "
                        + "\"graph_build_s\": %.3f}",
                train.imagesPerSecond(batch), infer.imagesPerSecond(batch), train.medianImagesPerSecond(batch),
                infer.medianImagesPerSecond(batch), numbers(train.roundImagesPerSecond),
                numbers(infer.roundImagesPerSecond), numbers(train.stepSeconds), numbers(infer.stepSeconds),
                Float.isFinite(train.lastLoss) ? String.format(Locale.ROOT, "%.5f", train.lastLoss) : "null",
                buildSeconds);
    }

    static String numbers(List<Double> values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", values.get(i)));
        return b.append("]").toString();
    }

    private static String json(Map<String, Integer> counts) {
        StringBuilder b = new StringBuilder("{");
        counts.forEach((k, v) -> b.append(b.length() == 1 ? "" : ", ").append(quote(k)).append(": ").append(v));
        return b.append("}").toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opt = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
            String key = args[i].substring(2);
            if (key.equals("ops")) {
                opt.put(key, "true");
            } else {
                if (i + 1 >= args.length) throw new IllegalArgumentException("--" + key + " needs a value");
                opt.put(key, args[++i]);
            }
        }
        return opt;
    }
}
