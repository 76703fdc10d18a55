package dev.specc.cli;

import dev.specc.Pipeline;
import dev.specc.diag.SpecException;
import dev.specc.diag.UsageException;
import dev.specc.runtime.ComputePrecision;
import dev.specc.runtime.Prepared;
import dev.specc.runtime.TrainedModel;
import dev.specc.runtime.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The trained network that eval, predict and export load: SPEC compiled with --checkpoint FILE, or
 * with --run RUN_DIR the spec the run trained (so with its --set overrides) and its best checkpoint.
 */
final class CheckpointOption {
    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "A checkpoint (.safetensors) of SPEC; with --run, one of the run's (default: its best, else its last).")
    Path checkpoint;

    @Option(names = "--run", paramLabel = "RUN_DIR",
            description = "Instead of SPEC: a run directory's spec (its spec.resolved.json, with the run's --set and --data) "
                    + "and its best checkpoint.")
    Path runDir;

    private RunDirectory run;

    /** Checks SPEC, --checkpoint and --run before anything is compiled or loaded. */
    void check(Path spec) {
        if (runDir != null) {
            if (spec != null) {
                throw new UsageException("give SPEC or --run RUN_DIR, not both: --run " + runDir + " compiles the spec the "
                        + "run trained (" + runDir.resolve(RunDirectory.SPEC) + ")");
            }
            run = RunDirectory.open(runDir);
            if (checkpoint == null) {
                checkpoint = run.trainedCheckpoint();
                if (checkpoint == null) {
                    throw new UsageException("--run " + runDir + ": the run has no checkpoint yet "
                            + "(no checkpoints/best.safetensors or checkpoints/last.safetensors)");
                }
            }
        } else if (spec == null) {
            throw new UsageException("missing SPEC: give the spec file and --checkpoint FILE, or --run RUN_DIR");
        } else if (checkpoint == null) {
            throw new UsageException("missing --checkpoint FILE: give a checkpoint of " + spec
                    + " (a .safetensors file in a run's checkpoints/ folder), or use --run RUN_DIR instead of SPEC");
        }
        ArgumentChecks.existingFile("--checkpoint", checkpoint,
                "a .safetensors checkpoint, such as RUN_DIR/checkpoints/best.safetensors");
    }

    /**
     * Compiles the spec and loads the checkpoint into it; {@link #check} must have passed. {@code readsData}:
     * whether the command reads the spec's data, which must then be found on this machine.
     */
    TrainedModel load(Path spec, RunOptions options, boolean readsData) throws SpecException, IOException {
        Pipeline.DataCheck dataCheck = readsData ? Pipeline.DataCheck.DATA_ONLY : Pipeline.DataCheck.SKIPPED;
        Prepared prepared = run != null ? Prepared.ofRun(run, options.sets, options.data, dataCheck)
                : Prepared.of(spec, options.sets, options.data, dataCheck);
        // --run computes in the run's own precision unless --precision says otherwise, so its figures match the run's.
        ComputePrecision precision = run != null && options.precision == null ? ComputePrecision.ofRun(run)
                : ComputePrecision.resolve(options.precision, prepared.train().precision());
        return TrainedModel.load(prepared, checkpoint, options.threads, precision);
    }
}
