package dev.specc.config;

import dev.specc.diag.Diagnostics;
import dev.specc.diag.SourcePos;
import dev.specc.diag.Suggest;
import dev.specc.load.SList;
import dev.specc.load.SMap;
import dev.specc.load.SNode;
import dev.specc.resolve.ValueReader;
import dev.specc.resolve.ValueType;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The spec's {@code train:} section, typed, with Keras-like defaults. */
public record TrainConfig(int epochs, int batchSize, long seed, OptimizerConfig optimizer, ScheduleConfig schedule,
                          String loss, double labelSmoothing, List<String> metrics, double weightDecay,
                          Map<String, Double> layerWeightDecay, EarlyStopping earlyStopping, String checkpointMonitor,
                          String initFrom, boolean partialInit, CheckpointEvery checkpointEvery, Precision precision,
                          SNode initMapping, List<Double> classWeights, boolean syncBatchNorm) {

    /** Without an init mapping, class weights or synchronised batch norm. */
    public TrainConfig(int epochs, int batchSize, long seed, OptimizerConfig optimizer, ScheduleConfig schedule,
                       String loss, double labelSmoothing, List<String> metrics, double weightDecay,
                       Map<String, Double> layerWeightDecay, EarlyStopping earlyStopping, String checkpointMonitor,
                       String initFrom, boolean partialInit, CheckpointEvery checkpointEvery, Precision precision) {
        this(epochs, batchSize, seed, optimizer, schedule, loss, labelSmoothing, metrics, weightDecay, layerWeightDecay,
                earlyStopping, checkpointMonitor, initFrom, partialInit, checkpointEvery, precision, null, null, false);
    }

    public record OptimizerConfig(String type, double learningRate, double momentum, boolean nesterov,
                                  double beta1, double beta2, double epsilon, double rho) {
    }

    /** {@code power}: the exponent of the poly schedule, lr * (1 - step / steps) ^ power. */
    public record ScheduleConfig(String type, int every, double factor, String monitor, int patience, double minLr,
                                 double minDelta, int warmupEpochs, double power) {
        public static final double DEFAULT_POWER = 0.9;

        public ScheduleConfig(String type, int every, double factor, String monitor, int patience, double minLr,
                              double minDelta, int warmupEpochs) {
            this(type, every, factor, monitor, patience, minLr, minDelta, warmupEpochs, DEFAULT_POWER);
        }
    }

    public record EarlyStopping(String monitor, int patience, double minDelta) {
    }

    /**
     * How often a checkpoint is also written within an epoch: after every {@code steps} steps, or
     * once {@code minutes} have passed since the last checkpoint (0 for the unused one).
     */
    public record CheckpointEvery(int steps, double minutes) {
        public static final CheckpointEvery DEFAULT = new CheckpointEvery(0, 10);

        /** Whether a checkpoint is due after {@code stepsSince} steps and {@code nanosSince} nanoseconds. */
        public boolean due(long stepsSince, long nanosSince) {
            return steps > 0 ? stepsSince >= steps : minutes > 0 && nanosSince >= minutes * 60e9;
        }
    }

    /** Reads the section (null: all defaults); problems go to {@code diagnostics} at their values. */
    public static TrainConfig read(SMap train, Map<String, Object> params, Diagnostics diagnostics) {
        Reader r = new Reader(train, "train.", params, diagnostics);
        Reader o = new Reader(r.map("optimizer"), "train.optimizer.", params, diagnostics);
        String type = o.string("type", "sgd");
        OptimizerConfig optimizer = new OptimizerConfig(type,
                o.positive("learning_rate", type.equals("sgd") ? 0.01 : 0.001),
                o.fraction("momentum", 0.0, true),
                o.bool("nesterov", false),
                o.fraction("beta1", 0.9, false), o.fraction("beta2", 0.999, false),
                o.positive("epsilon", 1e-7), o.fraction("rho", 0.9, false));
        Reader s = new Reader(r.map("schedule"), "train.schedule.", params, diagnostics);
        ScheduleConfig schedule = new ScheduleConfig(s.string("type", "constant"), s.count("every", 10, 1),
                s.positive("factor", 0.1), s.string("monitor", "val_loss"), s.count("patience", 5, 0),
                s.nonNegative("min_lr", 0), s.nonNegative("min_delta", 1e-4), s.count("warmup_epochs", 0, 0),
                s.positive("power", ScheduleConfig.DEFAULT_POWER));
        EarlyStopping early = null;
        if (train != null && train.get("early_stopping") instanceof SMap es) {
            Reader e = new Reader(es, "train.early_stopping.", params, diagnostics);
            early = new EarlyStopping(e.string("monitor", "val_loss"), e.count("patience", 5, 0), e.nonNegative("min_delta", 0));
        }
        CheckpointEvery every = CheckpointEvery.DEFAULT;
        SMap everyMap = r.map("checkpoint_every");
        if (everyMap != null) {
            Reader c = new Reader(everyMap, "train.checkpoint_every.", params, diagnostics);
            int steps = c.count("steps", 0, 1);
            double minutes = c.positive("minutes", 0);
            if (steps > 0 && minutes > 0) {
                diagnostics.error(everyMap.pos(), "train.checkpoint_every: give steps or minutes, not both");
            } else if (steps > 0 || minutes > 0) {
                every = new CheckpointEvery(steps, minutes);
            }
        }
        List<String> metrics = new ArrayList<>();
        if (train != null && train.get("metrics") instanceof SList list) {
            for (SNode m : list.items()) {
                Object v = r.values.read(m, ValueType.STRING, params, "train.metrics");
                if (v != null) metrics.add((String) v);
            }
        } else {
            metrics.add("accuracy");
        }
        Map<String, Double> perLayer = new LinkedHashMap<>();
        if (train != null && train.get("layer_weight_decay") instanceof SMap decay) {
            for (SMap.Entry e : decay.entries()) {
                Object v = r.values.read(e.value(), ValueType.FLOAT, params, "train.layer_weight_decay." + e.key());
                if (v != null) perLayer.put(e.key(), (Double) v);
            }
        }
        return new TrainConfig(r.count("epochs", 10, 1), r.count("batch_size", 32, 1), r.count("seed", 42, 0), optimizer,
                schedule, r.string("loss", null), r.fraction("label_smoothing", 0, true), List.copyOf(metrics),
                r.nonNegative("weight_decay", 0), perLayer, early, r.string("checkpoint_monitor", "val_loss"),
                initFromPath(train, r, params, diagnostics), r.bool("partial_init", false), every, r.precision(),
                train != null && train.get("init_from") instanceof SMap init ? init.get("mapping") : null,
                classWeights(r), r.bool("sync_batch_norm", false));
    }

    /** train.init_from: a path, or {path: PATH, mapping: ...}. */
    private static String initFromPath(SMap train, Reader r, Map<String, Object> params, Diagnostics diagnostics) {
        if (train != null && train.get("init_from") instanceof SMap init) {
            return new Reader(init, "train.init_from.", params, diagnostics).string("path", null);
        }
        return r.string("init_from", null);
    }

    /** train.class_weights: one non-negative weight per class for the per-pixel (or per-example) cross-entropy. */
    private static List<Double> classWeights(Reader r) {
        SNode node = r.map.get("class_weights");
        if (node == null) return null;
        if (!(node instanceof SList list) || list.size() == 0) {
            r.diagnostics.error(node.pos(), "train.class_weights: expected a list of one weight per class, got " + node.describe());
            return null;
        }
        List<Double> weights = new ArrayList<>();
        for (SNode item : list.items()) {
            Double w = (Double) r.values.read(item, ValueType.FLOAT, r.params, "train.class_weights");
            if (w != null && !(w >= 0 && Double.isFinite(w))) {
                r.diagnostics.error(item.pos(), "train.class_weights: weights are 0 or more, got " + w);
            }
            weights.add(w == null ? 1.0 : w);
        }
        return List.copyOf(weights);
    }

    /**
     * The file train.init_from names (its path), as run reads it: an absolute path as written, a relative one
     * from the folder of {@code specFile} (the spec the user wrote). Null when there is none.
     *
     * @throws java.nio.file.InvalidPathException when the value is not a path on this system
     */
    public Path initFromFile(Path specFile) {
        return initFrom == null ? null : specFile.toAbsolutePath().getParent().resolve(initFrom).normalize();
    }

    /**
     * Whether a layer_weight_decay pattern, a glob ({@code *}, {@code ?}, {@code [abc]}, {@code {a,b}}),
     * matches a layer's name.
     *
     * @throws IllegalArgumentException when the pattern is not a valid glob
     */
    public static boolean layerMatches(String pattern, String layer) {
        return FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(Path.of(layer));
    }

    /** The L2 decay of a layer's kernel: that of the last layer_weight_decay pattern matching it, else weight_decay. */
    public double weightDecayOf(String layer) {
        double decay = weightDecay;
        for (Map.Entry<String, Double> e : layerWeightDecay.entrySet()) {
            if (layerMatches(e.getKey(), layer)) decay = e.getValue();
        }
        return decay;
    }

    /** The k of each top-k metric ("top_5" -> 5). */
    public List<Integer> topK() {
        return metrics.stream().filter(m -> m.startsWith("top_")).map(m -> Integer.parseInt(m.substring(4))).toList();
    }

    private static final class Reader {
        final SMap map;
        final String prefix;
        final Map<String, Object> params;
        final Diagnostics diagnostics;
        final ValueReader values;

        Reader(SMap map, String prefix, Map<String, Object> params, Diagnostics diagnostics) {
            this.map = map == null ? new SMap(List.of(), SourcePos.ofFile("train")) : map;
            this.prefix = prefix;
            this.params = params;
            this.diagnostics = diagnostics;
            this.values = new ValueReader(diagnostics);
        }

        SMap map(String key) {
            return map.get(key) instanceof SMap m ? m : null;
        }

        private Object value(String key, ValueType type) {
            SNode node = map.get(key);
            return node == null ? null : values.read(node, type, params, prefix + key);
        }

        String string(String key, String fallback) {
            Object v = value(key, ValueType.STRING);
            return v == null ? fallback : (String) v;
        }

        boolean bool(String key, boolean fallback) {
            Object v = value(key, ValueType.BOOL);
            return v == null ? fallback : (Boolean) v;
        }

        private double number(String key, double fallback, double min, boolean minInclusive, double max, boolean maxInclusive) {
            Object v = value(key, ValueType.FLOAT);
            if (v == null) return fallback;
            double x = (Double) v;
            boolean ok = !Double.isNaN(x) && (minInclusive ? x >= min : x > min) && (maxInclusive ? x <= max : x < max);
            if (!ok) {
                diagnostics.error(map.get(key).pos(), prefix + key + ": expected a number " + (minInclusive ? ">= " : "> ") + min
                        + (max < Double.MAX_VALUE ? " and " + (maxInclusive ? "<= " : "< ") + max : "") + ", got " + x);
                return fallback;
            }
            return x;
        }

        double positive(String key, double fallback) {
            return number(key, fallback, 0, false, Double.MAX_VALUE, true);
        }

        double nonNegative(String key, double fallback) {
            return number(key, fallback, 0, true, Double.MAX_VALUE, true);
        }

        double fraction(String key, double fallback, boolean zeroAllowed) {
            return number(key, fallback, 0, zeroAllowed, 1, false);
        }

        Precision precision() {
            String text = string("precision", null);
            if (text == null) return Precision.AUTO;
            Precision precision = Precision.of(text);
            if (precision == null) {
                diagnostics.error(map.get("precision").pos(), prefix + "precision: unknown value '" + text + "'"
                        + Suggest.didYouMean(text, Precision.spellings()) + "; allowed: "
                        + String.join(", ", Precision.spellings()));
                return Precision.AUTO;
            }
            return precision;
        }

        int count(String key, int fallback, int min) {
            Object v = value(key, ValueType.INT);
            if (v == null) return fallback;
            long n = (Long) v;
            if (n < min || n > Integer.MAX_VALUE) {
                diagnostics.error(map.get(key).pos(), prefix + key + ": expected an integer >= " + min + ", got " + n);
                return fallback;
            }
            return (int) n;
        }
    }
}
