package dev.specc.cli;

import dev.specc.runtime.TrainedModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "export", description = "Export a checkpoint as a TensorFlow SavedModel (input \"input\", output \"output\") "
        + "or as safetensors weights under their Keras names.")
final class ExportCommand implements Callable<Integer> {
    enum Format { savedmodel, safetensors }

    @Parameters(paramLabel = "SPEC", description = "The spec file.")
    Path file;

    @Mixin
    CheckpointOption checkpoint;

    @Option(names = "--format", required = true, description = "savedmodel or safetensors.")
    Format format;

    @Option(names = "--out", required = true, paramLabel = "PATH", description = "Directory (savedmodel) or file (safetensors).")
    Path out;

    @Mixin
    RunOptions run;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return Failures.guard(spec.commandLine().getErr(), () -> {
            try (TrainedModel model = checkpoint.load(file, run, false)) {
                if (format == Format.savedmodel) model.exportSavedModel(out);
                else model.exportSafetensors(out);
            }
            System.out.println("exported " + format + " to " + out);
            return Specc.OK;
        });
    }
}
