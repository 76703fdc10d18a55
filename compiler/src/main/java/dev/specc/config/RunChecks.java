package dev.specc.config;

import dev.specc.diag.Diagnostics;
import dev.specc.diag.SourcePos;
import dev.specc.diag.Suggest;
import dev.specc.ir.Activation;
import dev.specc.ir.Conv2d;
import dev.specc.ir.Dense;
import dev.specc.ir.LayerSpec;
import dev.specc.ir.Model;
import dev.specc.ir.Node;
import dev.specc.ir.TensorShape;
import dev.specc.load.SMap;
import dev.specc.load.SNode;
import dev.specc.shapes.Analysis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What {@code run} needs of a spec beyond each section on its own: a loss that fits the network's
 * last activation, as many outputs as the data has classes, layer_weight_decay patterns that name
 * layers, and schedules that do what they seem to say. Problems are reported at the value at fault.
 */
public final class RunChecks {
    /** Named sources whose class count is known without reading them. */
    private static final int STANDARD_CLASSES = 10;

    private final SMap tree;
    private final Diagnostics diagnostics;

    public RunChecks(SMap tree, Diagnostics diagnostics) {
        this.tree = tree;
        this.diagnostics = diagnostics;
    }

    /** The loss run trains with when train.loss is not written, or written as this. */
    public static final String CATEGORICAL = "categorical_crossentropy";
    public static final String BINARY = "binary_crossentropy";

    /** How many classes the data has, and where that is said, for messages ("data.class_names lists 3 classes"). */
    public record DataClasses(int count, String where) {
    }

    /**
     * The loss run trains with: train.loss when written, else the one the network's last activation
     * ("softmax", "sigmoid", ...) calls for; null when they do not fit (reported by {@link #lossAndClasses}).
     */
    public static String lossFor(String written, String activation) {
        boolean softmax = activation.equals("softmax") || activation.equals("log_softmax");
        if (written == null) return activation.equals("sigmoid") ? BINARY : softmax ? CATEGORICAL : null;
        return written.equals(BINARY) ? (activation.equals("sigmoid") ? written : null) : softmax ? written : null;
    }

    /** Whether a network with {@code outputs} outputs learns {@code classes} classes with the (binary or not) loss. */
    public static boolean outputsFit(boolean binary, int outputs, int classes) {
        return binary ? outputs == 1 && classes == 2 : outputs >= classes;
    }

    /**
     * The loss and the output layer; with the data's classes known ({@code classes} not null), their
     * count too. Needs only the resolved network: {@code analysis} (null when shapes failed) gives
     * the output width.
     */
    public void lossAndClasses(Model model, Analysis analysis, TrainConfig train, DataClasses classes) {
        Node output = model.nodes().get(model.nodes().size() - 1);
        String activation = finalActivation(output.layer());
        Integer outputs = analysis != null ? Integer.valueOf(analysis.output().output().channels())
                : output.layer() instanceof Dense d ? Integer.valueOf(d.units()) : null;
        String layer = "its last layer '" + output.name() + "'";
        SNode lossNode = node("train", "loss");
        String loss = lossFor(train.loss(), activation);
        if (loss == null && train.loss() == null) {
            diagnostics.error(output.origin(), "the network must end in a softmax or a sigmoid to be trained "
                    + "with cross-entropy; " + layer + " ends in " + describe(activation)
                    + " (add activation: softmax to it)");
            return;
        } else if (loss == null) {
            String needed = train.loss().equals(BINARY) ? "sigmoid" : "softmax";
            diagnostics.error(lossNode.pos(), "train.loss: " + train.loss() + " needs the network to end in a " + needed
                    + ", but " + layer + " ends in " + describe(activation));
            return;
        }
        boolean binary = loss.equals(BINARY);
        SourcePos at = lossNode != null ? lossNode.pos() : output.origin();
        if (outputs == null) return;
        SNode weights = node("train", "class_weights");
        if (train.classWeights() != null && weights != null && binary) {
            diagnostics.error(weights.pos(), "train.class_weights: weigh the classes of categorical cross-entropy (a softmax "
                    + "or log_softmax output), not of binary cross-entropy");
        } else if (train.classWeights() != null && weights != null && train.classWeights().size() != outputs) {
            diagnostics.error(weights.pos(), "train.class_weights: " + train.classWeights().size() + " weights for "
                    + outputs + " classes (" + layer + " has " + outputs + " outputs)");
        }
        if (binary && outputs != 1) {
            diagnostics.error(at, "binary cross-entropy needs one sigmoid output; " + layer + " has " + outputs);
            return;
        }
        if (classes == null || outputsFit(binary, outputs, classes.count())) return;
        if (binary) {
            diagnostics.error(at, "binary cross-entropy needs two classes, but " + classes.where());
        } else {
            diagnostics.error(output.origin(), "the network has " + outputs + " outputs but " + classes.where()
                    + (tree.get("params") instanceof SMap p && p.has("classes")
                    ? " (set params.classes: " + classes.count() + ")" : ""));
        }
    }

    /**
     * The classes data.class_names lists or a named source always has; null when only its files can
     * tell (a folder, IDX or CIFAR-10 source without class_names: CIFAR-10's batches.meta.txt may list others).
     */
    public static DataClasses declaredClasses(DataConfig data) {
        if (data.classNames() != null) {
            return new DataClasses(data.classNames().size(), "data.class_names lists " + data.classNames().size() + " classes");
        }
        return switch (data.source()) {
            case FASHION_MNIST_SUBSET, FASHION_MNIST, MNIST -> new DataClasses(STANDARD_CLASSES,
                    "data source " + data.source().spelling() + " has " + STANDARD_CLASSES + " classes");
            case CIFAR10, IDX, FOLDER, HDF5, SEGMENTATION -> null;
        };
    }

    /** The classes of a folder, IDX or CIFAR-10 source, counted in its files at {@code dir} (as DataLocation found it); null if unknown. */
    public static DataClasses countedClasses(DataConfig data, Path dir) {
        if (data.classNames() != null) return null;
        if (data.source() == DataConfig.Source.FOLDER) {
            Path trainDir = DataLocation.folderTrainDir(dir);
            try {
                List<String> folders = DataLocation.classFolders(trainDir);
                return new DataClasses(folders.size(), "the data folder " + trainDir + " has "
                        + folders.size() + " class subfolders (" + sample(folders) + ")");
            } catch (IOException e) {
                return null;
            }
        }
        if (data.source() == DataConfig.Source.CIFAR10) {
            try {
                List<String> names = DataLocation.cifarClassNames(dir);
                return new DataClasses(names.size(), Files.isRegularFile(dir.resolve(DataLocation.CIFAR_META))
                        ? dir.resolve(DataLocation.CIFAR_META) + " lists " + names.size() + " classes"
                        : "data source cifar10 has " + names.size() + " classes");
            } catch (IOException e) {
                return null; // the reader reports an unreadable or empty list with the data
            }
        }
        if (data.source() == DataConfig.Source.IDX) {
            Integer count = DataLocation.idxClassCount(dir);
            return count == null ? null : new DataClasses(count, "the IDX labels in " + dir + " go up to " + (count - 1)
                    + " (" + count + " classes)");
        }
        return null;
    }

    /**
     * The classes of an hdf5 source's files (null when data.class_names declares them), and a warning
     * at data.path when its images are not the model input's size or channels: they are converted and
     * resized to it, which works, but is seldom what a file of images at one size is meant for.
     */
    public DataClasses hdf5(DataConfig data, List<Hdf5Data.Contents> files, TensorShape input) {
        Hdf5Data.Contents train = files.get(0);
        if (input != null && input.isImage() && (train.height() != input.height() || train.width() != input.width()
                || train.channels() != input.channels()) && node("data", "path") != null) {
            diagnostics.warning(node("data", "path").pos(), "data.path: " + train.file() + " holds " + train.shape()
                    + " images ('" + train.images() + "'); they are " + (train.channels() != input.channels()
                    ? "converted and resized" : "resized") + " to the model's input " + input
                    + (train.height() != input.height() || train.width() != input.width()
                    ? " (data.image_size: [" + train.height() + ", " + train.width() + "] trains at the file's size)" : ""));
        }
        if (data.classNames() != null) return null;
        int count = files.stream().mapToInt(Hdf5Data.Contents::classCount).max().orElse(0);
        Hdf5Data.Contents counted = files.stream().filter(c -> c.classCount() == count).findFirst().orElse(train);
        String where = counted.classNames() != null
                ? "'" + data.hdf5().classes() + "' in " + counted.file() + " lists " + count + " classes"
                : "the labels in " + counted.file() + " go up to " + (count - 1) + " (" + count + " classes)";
        return new DataClasses(count, where);
    }

    /** Each layer_weight_decay pattern must match a layer that has a kernel, or it silently does nothing. */
    public void layerWeightDecay(Analysis analysis, TrainConfig train) {
        if (!(node("train", "layer_weight_decay") instanceof SMap patterns)) return;
        List<String> layers = analysis.nodes().stream()
                .filter(n -> n.weights().stream().anyMatch(w -> w.name().equals("kernel")))
                .map(n -> n.node().name()).toList();
        for (SMap.Entry e : patterns.entries()) {
            boolean matched;
            try {
                matched = layers.stream().anyMatch(name -> TrainConfig.layerMatches(e.key(), name));
            } catch (IllegalArgumentException bad) {
                diagnostics.error(e.keyPos(), "train.layer_weight_decay: '" + e.key() + "' is not a valid pattern: "
                        + bad.getMessage());
                continue;
            }
            if (!matched) {
                diagnostics.error(e.keyPos(), "train.layer_weight_decay: '" + e.key() + "' matches no layer with a kernel"
                        + Suggest.didYouMean(e.key(), layers) + "; layers with kernels: " + sample(layers));
            }
        }
    }

    /** Settings that are accepted but do not do what they seem to: warnings, not errors. */
    public void schedule(TrainConfig train) {
        if (!(node("train", "schedule") instanceof SMap schedule)) return;
        TrainConfig.ScheduleConfig s = train.schedule();
        if (s.type().equals("step") && (!schedule.has("every") || !schedule.has("factor"))) {
            String missing = schedule.has("every") ? "factor" : schedule.has("factor") ? "every" : "every and factor";
            diagnostics.warning(schedule.pos(), "train.schedule: a step schedule without " + missing
                    + " multiplies the learning rate by " + s.factor() + " every "
                    + (s.every() == 1 ? "epoch" : s.every() + " epochs")
                    + (missing.equals("every and factor") ? " (the defaults)" : " (the default " + missing + ")")
                    + "; write every: and factor: to choose");
        }
        SNode warmup = schedule.get("warmup_epochs");
        if (warmup != null && s.warmupEpochs() > 0) {
            if (!s.type().equals("cosine")) {
                diagnostics.warning(warmup.pos(), "train.schedule.warmup_epochs: only the cosine schedule warms up; "
                        + "ignored by a " + s.type() + " schedule");
            } else if (s.warmupEpochs() >= train.epochs()) {
                diagnostics.warning(warmup.pos(), "train.schedule.warmup_epochs: " + s.warmupEpochs() + " warm-up epochs in a "
                        + "run of " + train.epochs() + " (train.epochs): the learning rate only rises and never decays");
            }
        }
    }

    /**
     * Per-pixel labels need a network that outputs a class map at the input's size, and a class map
     * needs per-pixel labels (data.source segmentation).
     */
    public void labelsFitOutput(Analysis analysis, DataConfig data) {
        TensorShape out = analysis.output().output();
        TensorShape in = analysis.model().inputShape();
        Node last = analysis.output().node();
        SNode source = node("data", "source");
        if (data.isSegmentation() && !out.isImage()) {
            diagnostics.error(source != null ? source.pos() : last.origin(), "data.source segmentation labels every pixel, but "
                    + "the last layer '" + last.name() + "' outputs " + out + ", not a class map (height x width x classes)");
        } else if (data.isSegmentation() && (out.height() != in.height() || out.width() != in.width())) {
            diagnostics.error(last.origin(), "the class map of the last layer '" + last.name() + "' is " + out.height() + "x"
                    + out.width() + ", but masks are read at the input size " + in.height() + "x" + in.width()
                    + " (upsample to it, e.g. with a resize or conv2d_transpose)");
        } else if (!data.isSegmentation() && out.isImage()) {
            diagnostics.error(last.origin(), "the last layer '" + last.name() + "' outputs a class map (" + out
                    + "): train it on image/mask pairs (data.source: segmentation), not on data source "
                    + data.source().spelling());
        }
    }

    /** Normalisation entries per channel of the model input; the data's colour mode from the model when unwritten. */
    public DataConfig dataAgainstModel(TensorShape input, DataConfig data) {
        if (!input.isImage()) return data;
        data.checkAgainstModel(input, diagnostics);
        return data.withModelChannels(input.channels());
    }

    private static String finalActivation(LayerSpec layer) {
        Activation.Function f = layer instanceof Activation a ? a.function()
                : layer instanceof Dense d ? d.activation()
                : layer instanceof Conv2d c ? c.activation() : null;
        return f == null ? "none" : f.name().toLowerCase(Locale.ROOT);
    }

    private static String describe(String activation) {
        return activation.equals("none") || activation.equals("linear") ? "no activation" : "a " + activation;
    }

    private static String sample(List<String> names) {
        int shown = 8;
        return names.size() <= shown ? String.join(", ", names)
                : String.join(", ", names.subList(0, shown)) + ", ... (" + names.size() + " in all)";
    }

    private SNode node(String section, String key) {
        return tree.get(section) instanceof SMap map ? map.get(key) : null;
    }
}
