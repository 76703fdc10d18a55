package dev.specc.cli;

import dev.specc.diag.UsageException;
import dev.specc.runtime.TrainedModel;
import dev.specc.runtime.io.KerasH5Weights;
import dev.specc.runtime.io.Safetensors;
import dev.specc.runtime.io.SavedModelExport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", description = "Export a checkpoint as a TensorFlow SavedModel (input \"input\", output \"output\"), "
        + "as safetensors weights under their Keras names, or as a Keras HDF5 weight file (h5: keras' load_weights reads it).")
final class ExportCommand implements Callable<Integer> {
    enum ExportFormat { savedmodel, safetensors, h5 }

    @Parameters(paramLabel = "SPEC", arity = "0..1", description = "The spec file (leave it out with --run).")
    Path file;

    @Mixin
    CheckpointOption checkpoint;

    @Option(names = "--format", required = true, description = "savedmodel, safetensors or h5.")
    ExportFormat format;

    @Option(names = "--out", required = true, paramLabel = "PATH", description = "Directory (savedmodel) or file (safetensors, h5).")
    Path out;

    @Option(names = "--force", description = "Replace an earlier export at --out: a safetensors or HDF5 file, or a SavedModel folder "
            + "(saved_model.pb and nothing that is not part of one; any other folder is refused). The new export is complete "
            + "before the old one is removed.")
    boolean force;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() throws Exception {
        checkpoint.check(file);
        checkTarget();
        try (TrainedModel model = checkpoint.load(file, run, false)) {
            switch (format) {
                case savedmodel -> model.exportSavedModel(out, force);
                case safetensors -> model.exportSafetensors(out);
                case h5 -> model.exportKerasH5(out);
            }
        }
        System.out.println("exported " + format + " to " + out);
        return Specc.OK;
    }

    private static boolean isSavedModel(Path folder) {
        try {
            return SavedModelExport.isSavedModel(folder);
        } catch (IOException e) {
            throw new UsageException("--out " + folder + ": the folder cannot be read (" + e.getMessage() + ")");
        }
    }

    private static boolean isSafetensors(Path file) {
        try {
            Safetensors.metadata(file);
            return true;
        } catch (IOException notSafetensors) {
            return false;
        }
    }

    private void checkTarget() {
        if (format == ExportFormat.savedmodel) {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new UsageException("--out " + out + " is a file; a SavedModel is a folder: give a new or empty folder");
            }
            if (Files.isDirectory(out) && !ArgumentChecks.isEmptyFolder(out)) {
                if (!force) {
                    throw new UsageException("--out " + out + " is a folder that is not empty; give a new or empty folder, "
                            + "or add --force to replace it");
                }
                if (!isSavedModel(out)) {
                    throw new UsageException("--out " + out + " is a folder that is not empty and is not a SavedModel; "
                            + "--force replaces only an earlier export (a folder with saved_model.pb and nothing else): "
                            + "give a new or empty folder");
                }
            }
        } else {
            ArgumentChecks.newFile("--out", out);
            if (Files.exists(out) && !force) {
                throw new UsageException("--out " + out + " exists; give a new file name, or add --force to replace it");
            }
            boolean earlierExport = format == ExportFormat.h5 ? KerasH5Weights.isHdf5(out) : isSafetensors(out);
            if (Files.exists(out) && !earlierExport) {
                throw new UsageException("--out " + out + " exists and is not " + (format == ExportFormat.h5 ? "an HDF5"
                        : "a safetensors") + " file; --force replaces only an earlier export: give a new file name");
            }
        }
    }
}
