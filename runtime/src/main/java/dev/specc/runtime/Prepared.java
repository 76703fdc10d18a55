package dev.specc.runtime;

import dev.specc.Pipeline;
import dev.specc.diag.Diagnostics;
import dev.specc.diag.SpecException;
import dev.specc.diag.UsageException;
import dev.specc.ir.TensorShape;
import dev.specc.load.SMap;
import dev.specc.runtime.data.DataConfig;
import dev.specc.runtime.data.ImageShape;
import dev.specc.runtime.run.RunDirectory;
import dev.specc.runtime.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A spec ready to run: checked, with its train: and data: sections read, and the network's input
 * sized to the data section's image_size when it gives one (the shape-agnostic ResNets train the
 * shipped 28x28 images at 64x64; the network itself is unchanged). {@code specFile} is the spec
 * file relative paths in it are looked up from.
 */
public record Prepared(Path specFile, Pipeline.Checked checked, TrainConfig train, DataConfig data, List<String> overrides) {

    public static Prepared of(Path specFile, List<String> overrides, String dataOverride) throws SpecException {
        return prepare(specFile, specFile, overrides, dataOverride);
    }

    /**
     * The spec a run trained, read from its spec.resolved.json (so with the run's --set and --data),
     * with {@code overrides} on top; relative paths in it are from the spec file the run started from.
     */
    public static Prepared ofRun(RunDirectory run, List<String> overrides, String dataOverride)
            throws SpecException, IOException {
        return prepare(run.specFile(), run.startedFrom(), overrides, dataOverride);
    }

    private static Prepared prepare(Path read, Path specFile, List<String> overrides, String dataOverride)
            throws SpecException {
        List<String> sets = new java.util.ArrayList<>(overrides);
        if (dataOverride != null) sets.addAll(dataSourceOverride(dataOverride));
        Pipeline.Options options = new Pipeline.Options(null, sets);
        Pipeline.Checked checked = Pipeline.check(read, options);
        DataConfig data = readData(checked);
        TensorShape input = checked.analysis().model().inputShape();
        if (data.imageSize() != null && input.isImage()
                && (data.imageSize().height() != input.height() || data.imageSize().width() != input.width())) {
            checked = Pipeline.check(read, new Pipeline.Options(
                    new int[] {data.imageSize().height(), data.imageSize().width(), input.channels()}, sets));
        }
        Diagnostics diagnostics = new Diagnostics();
        TrainConfig train = TrainConfig.read(section(checked.tree(), "train"), checked.params(), diagnostics);
        TensorShape sized = checked.analysis().model().inputShape();
        if (sized.isImage()) {
            data = data.withModelChannels(sized.channels());
            data.checkAgainstModel(new ImageShape(sized.height(), sized.width(), sized.channels()), diagnostics);
        }
        if (diagnostics.hasErrors()) throw new SpecException(diagnostics);
        return new Prepared(specFile, checked, train, data, List.copyOf(sets));
    }

    /** --data NAME picks a named source; --data PATH a folder of class subfolders (or IDX/CIFAR files). */
    private static List<String> dataSourceOverride(String value) {
        for (DataConfig.Source s : DataConfig.Source.values()) {
            if (s.spelling().equals(value)) return List.of("data.source=" + value, "data.path=null");
        }
        Path path = Path.of(value);
        String source = java.nio.file.Files.exists(path.resolve("data_batch_1.bin")) ? "cifar10"
                : java.nio.file.Files.exists(path.resolve("train-images-idx3-ubyte.gz"))
                        || java.nio.file.Files.exists(path.resolve("train-images-idx3-ubyte")) ? "idx" : "folder";
        return List.of("data.source=" + source, "data.path='" + path.toAbsolutePath().toString().replace("'", "''") + "'");
    }

    private static DataConfig readData(Pipeline.Checked checked) throws SpecException {
        Diagnostics diagnostics = new Diagnostics();
        DataConfig data = DataConfig.read(section(checked.tree(), "data"), checked.params(), diagnostics);
        if (diagnostics.hasErrors()) throw new SpecException(diagnostics);
        return data;
    }

    private static SMap section(SMap tree, String key) {
        return tree.get(key) instanceof SMap m ? m : null;
    }

    public String name() {
        return checked.analysis().model().name();
    }

    public ImageShape inputShape() {
        TensorShape s = checked.analysis().model().inputShape();
        if (!s.isImage()) throw new UsageException("specc trains image networks; this input is " + s);
        return new ImageShape(s.height(), s.width(), s.channels());
    }
}
