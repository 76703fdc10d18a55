package dev.specc.bench;

import dev.specc.Pipeline;
import dev.specc.lower.CompiledModel;
import dev.specc.lower.GraphLowerer;
import dev.specc.lower.Mode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Where the time of a ResNet50 step goes, specc against the hand-written graph: the graphs as
 * TensorFlow runs them (after Grappler and the oneDNN rewrites: op types and counts of the
 * partition graphs) and the traced time per op type, summed over the step's ops. Also untimed by
 * tracing: plain step times, alternating. For investigating a gap the benchmark shows.
 *
 * <pre>
 * java -cp ... dev.specc.bench.ResNet50Profile [--mode training|inference] [--warmup 2] [--steps 3]
 *     [--variant ADD_N,IDENTITY_READS] [--batch 16] [--threads CORES]
 * </pre>
 * {@code --variant} builds the hand-written graph the way specc does in those respects.
 */
public final class ResNet50Profile {
    private ResNet50Profile() {
    }

    private interface Step {
        RunMetadata run(boolean trace);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        String mode = opt.getOrDefault("mode", "training");
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "2"));
        int steps = Integer.parseInt(opt.getOrDefault("steps", "3"));
        int batch = Integer.parseInt(opt.getOrDefault("batch", "16"));
        int threads = Integer.parseInt(opt.getOrDefault("threads",
                String.valueOf(Runtime.getRuntime().availableProcessors())));
        Set<HandWrittenResNet50.Variant> variants = EnumSet.noneOf(HandWrittenResNet50.Variant.class);
        for (String v : opt.getOrDefault("variant", "").split(",")) {
            if (!v.isBlank()) variants.add(HandWrittenResNet50.Variant.valueOf(v.trim()));
        }
        System.out.printf(Locale.ROOT, "%s, batch %d, %d threads, hand-written variants %s%n", mode, batch, threads,
                variants);

        CompiledModel model = new GraphLowerer().lower(Pipeline.analyze(Path.of(opt.getOrDefault("spec",
                "specs/resnet50.yaml")), Pipeline.Options.DEFAULT));
        SpeccTrainStep speccStep = SpeccTrainStep.build(model, 0.01f, 0.9f);
        HandWrittenResNet50 hand = new HandWrittenResNet50(224, 1000, 0.01f, 0.9f, variants);

        ConfigProto config = ConfigProto.newBuilder().setIntraOpParallelismThreads(threads)
                .setInterOpParallelismThreads(threads).build();
        Random random = new Random(2024);
        float[] pixels = new float[batch * 224 * 224 * 3];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (float) random.nextGaussian();
        int[] classes = new int[batch];
        for (int i = 0; i < batch; i++) classes[i] = random.nextInt(1000);
        RunOptions traced = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.SOFTWARE_TRACE)
                .setOutputPartitionGraphs(true).build();

        try (TFloat32 images = TFloat32.tensorOf(Shape.of(batch, 224, 224, 3), DataBuffers.of(pixels, true, false));
             TInt32 labels = TInt32.vectorOf(classes);
             Session speccSession = new Session(model.graph(), config);
             Session handSession = new Session(hand.graph(), config)) {
            boolean training = mode.equals("training");
            Step specc = trace -> run(speccSession, trace ? traced : null, r -> training
                    ? r.feed(model.input(), images).feed("train_step/labels", labels).fetch(speccStep.loss())
                            .addTarget(speccStep.step())
                    : r.feed(model.input(), images).fetch(model.output(Mode.INFERENCE)));
            Step handStep = trace -> run(handSession, trace ? traced : null, r -> training
                    ? r.feed(hand.input(), images).feed("labels", labels).fetch(hand.loss()).addTarget(hand.step())
                    : r.feed(hand.input(), images).fetch(hand.output()));
            for (int i = 0; i < warmup; i++) {
                specc.run(false);
                handStep.run(false);
            }
            List<Double> speccTimes = new ArrayList<>();
            List<Double> handTimes = new ArrayList<>();
            for (int i = 0; i < steps; i++) {
                speccTimes.add(time(specc));
                handTimes.add(time(handStep));
            }
            System.out.printf(Locale.ROOT, "untraced s/step: specc %s, hand-written %s%n", speccTimes, handTimes);
            Map<String, double[]> speccProfile = new TreeMap<>();
            Map<String, double[]> handProfile = new TreeMap<>();
            Map<String, Integer> speccOps = new TreeMap<>();
            Map<String, Integer> handOps = new TreeMap<>();
            for (int i = 0; i < steps; i++) {
                accumulate(specc.run(true), speccProfile, i == 0 ? speccOps : null, steps);
                accumulate(handStep.run(true), handProfile, i == 0 ? handOps : null, steps);
            }
            print("executed graph (after Grappler and oneDNN rewrites), ops by type", speccOps, handOps);
            printProfile(speccProfile, handProfile);
        }
        hand.close();
        model.close();
    }

    private static double time(Step step) {
        long start = System.nanoTime();
        step.run(false);
        return Math.round((System.nanoTime() - start) / 1e6) / 1e3;
    }

    private static RunMetadata run(Session session, RunOptions options,
                                   Function<Session.Runner, Session.Runner> build) {
        Session.Runner runner = build.apply(session.runner());
        if (options == null) {
            try (Result r = runner.run()) {
                return null;
            }
        }
        try (Result r = runner.setOptions(options).runAndFetchMetadata()) {
            return r.getMetadata().orElseThrow();
        }
    }

    /** Per op type: {ms per step (sum of op wall times), executions per step}. */
    private static void accumulate(RunMetadata meta, Map<String, double[]> profile, Map<String, Integer> ops,
                                   int steps) {
        Map<String, String> typeOf = new HashMap<>();
        for (GraphDef g : meta.getPartitionGraphsList()) {
            for (NodeDef n : g.getNodeList()) {
                typeOf.put(n.getName(), n.getOp());
                if (ops != null) ops.merge(n.getOp(), 1, Integer::sum);
            }
        }
        for (DeviceStepStats device : meta.getStepStats().getDevStatsList()) {
            for (NodeExecStats node : device.getNodeStatsList()) {
                String name = node.getNodeName().split(":")[0];
                String type = typeOf.getOrDefault(name, node.getTimelineLabel().isEmpty() ? "?" : "?" + name);
                double[] acc = profile.computeIfAbsent(type, t -> new double[2]);
                acc[0] += node.getAllEndRelMicros() / 1000.0 / steps;
                acc[1] += 1.0 / steps;
            }
        }
    }

    private static void print(String what, Map<String, Integer> specc, Map<String, Integer> hand) {
        System.out.printf(Locale.ROOT, "%s: specc %d, hand-written %d%n", what,
                specc.values().stream().mapToInt(Integer::intValue).sum(),
                hand.values().stream().mapToInt(Integer::intValue).sum());
        Set<String> types = new TreeSet<>(specc.keySet());
        types.addAll(hand.keySet());
        for (String t : types) {
            System.out.printf(Locale.ROOT, "    %-36s %5d %5d%s%n", t, specc.getOrDefault(t, 0), hand.getOrDefault(t, 0),
                    specc.getOrDefault(t, 0).equals(hand.getOrDefault(t, 0)) ? "" : "   <>");
        }
    }

    private static void printProfile(Map<String, double[]> specc, Map<String, double[]> hand) {
        double st = specc.values().stream().mapToDouble(a -> a[0]).sum();
        double ht = hand.values().stream().mapToDouble(a -> a[0]).sum();
        System.out.printf(Locale.ROOT, "traced op time per step, summed over ops (ms): specc %.1f, hand-written %.1f, "
                + "difference %+.1f%n", st, ht, st - ht);
        System.out.printf(Locale.ROOT, "    %-36s %10s %6s %10s %6s %9s%n", "op type", "specc ms", "runs", "hand ms", "runs",
                "diff ms");
        Set<String> types = new TreeSet<>(specc.keySet());
        types.addAll(hand.keySet());
        List<String> sorted = new ArrayList<>(types);
        sorted.sort((a, b) -> Double.compare(
                Math.max(specc.getOrDefault(b, new double[2])[0], hand.getOrDefault(b, new double[2])[0]),
                Math.max(specc.getOrDefault(a, new double[2])[0], hand.getOrDefault(a, new double[2])[0])));
        for (String t : sorted) {
            double[] s = specc.getOrDefault(t, new double[2]);
            double[] h = hand.getOrDefault(t, new double[2]);
            if (Math.max(s[0], h[0]) < 0.5 && Math.abs(s[0] - h[0]) < 0.5) continue;
            System.out.printf(Locale.ROOT, "    %-36s %10.1f %6.0f %10.1f %6.0f %+9.1f%n", t, s[0], s[1], h[0], h[1],
                    s[0] - h[0]);
        }
    }

    @SuppressWarnings("unused")
    private static Op unused(Operand<?> o) {
        return o;
    }
}
