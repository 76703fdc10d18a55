package dev.specc.cli;

import dev.specc.Pipeline;
import dev.specc.diag.SpecException;
import dev.specc.runtime.Prepared;
import dev.specc.runtime.TrainedModel;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The checkpoint that eval, predict and export load into the spec's compiled graph. */
final class CheckpointOption {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "A checkpoint (.safetensors) of this spec.")
    Path checkpoint;

    /** {@code readsData}: whether the command reads the spec's data, which must then be found on this machine. */
    TrainedModel load(Path spec, RunOptions run, boolean readsData) throws SpecException, IOException {
        Pipeline.DataCheck dataCheck = readsData ? Pipeline.DataCheck.REQUIRED : Pipeline.DataCheck.SKIPPED;
        return TrainedModel.load(Prepared.of(spec, run.sets, run.data, dataCheck), checkpoint, run.threads);
    }
}
