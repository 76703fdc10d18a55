package dev.specc.runtime;

import dev.specc.Pipeline;
import dev.specc.config.DataConfig;
import dev.specc.config.TrainConfig;
import dev.specc.diag.SpecException;
import dev.specc.diag.UsageException;
import dev.specc.ir.TensorShape;
import dev.specc.runtime.data.ImageShape;
import dev.specc.runtime.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A spec ready to run: checked in the one pass that validate also uses ({@link Pipeline#check}),
 * with its train: and data: sections read, and the network's input sized to the data section's
 * image_size when it gives one (the shape-agnostic ResNets train the shipped 28x28 images at
 * 64x64; the network itself is unchanged). {@code specFile} is the spec file relative paths in it
 * are looked up from.
 */
public record Prepared(Path specFile, Pipeline.Checked checked, TrainConfig train, DataConfig data, List<String> overrides) {

    /** For commands that read data (run, train, eval): data that cannot be found is an error here. */
    public static Prepared of(Path specFile, List<String> overrides, String dataOverride) throws SpecException {
        return of(specFile, overrides, dataOverride, Pipeline.DataCheck.REQUIRED);
    }

    /**
     * The spec a run trained, read from its spec.resolved.json (so with the run's --set and --data),
     * with {@code overrides} on top; relative paths in it are from the spec file the run started from.
     */
    public static Prepared ofRun(RunDirectory run, List<String> overrides, String dataOverride, Pipeline.DataCheck dataCheck)
            throws SpecException, IOException {
        return prepare(run.specFile(), run.startedFrom(), overrides, dataOverride, dataCheck);
    }

    public static Prepared of(Path specFile, List<String> overrides, String dataOverride, Pipeline.DataCheck dataCheck)
            throws SpecException {
        return prepare(specFile, specFile, overrides, dataOverride, dataCheck);
    }

    private static Prepared prepare(Path read, Path specFile, List<String> overrides, String dataOverride,
                                    Pipeline.DataCheck dataCheck) throws SpecException {
        Pipeline.Checked checked = Pipeline.check(read, specFile, new Pipeline.Options(null, overrides, dataOverride, dataCheck));
        List<String> recorded = new ArrayList<>(overrides);
        if (dataOverride != null) recorded.add("--data " + dataOverride);
        return new Prepared(specFile, checked, checked.train(), checked.data(), List.copyOf(recorded));
    }

    public String name() {
        return checked.analysis().model().name();
    }

    /**
     * The model's input as an image. run and eval have the spec's check refuse other inputs; predict
     * and export (which read no data) reach this with any network that compiles.
     */
    public ImageShape inputShape() {
        TensorShape s = checked.analysis().model().inputShape();
        if (!s.isImage() || (s.channels() != 1 && s.channels() != 3)) {
            throw new UsageException("input: specc reads images into networks whose input is [height, width, channels] "
                    + "with 1 or 3 channels; this input is " + s);
        }
        return new ImageShape(s.height(), s.width(), s.channels());
    }
}
