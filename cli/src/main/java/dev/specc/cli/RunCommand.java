package dev.specc.cli;

import dev.specc.runtime.Prepared;
import dev.specc.runtime.TrainingRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", description = "Train a spec with validation every epoch, then evaluate the best checkpoint on the "
        + "test split. Everything goes to runs/<spec>/<timestamp>/.")
class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SPEC", description = "The spec file.")
    Path file;

    @Mixin
    RunOptions run;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue an interrupted run from its last checkpoint.")
    Path resume;

    @Option(names = "--init-from", paramLabel = "FILE", description = "Start from weights in a safetensors file (matched by name and shape).")
    Path initFrom;

    @Option(names = "--partial", description = "With --init-from: allow missing or reshaped weights (e.g. a new head).")
    boolean partial;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    boolean evaluateTest() {
        return true;
    }

    @Override
    public Integer call() {
        return Failures.guard(spec.commandLine().getErr(), () -> {
            Prepared prepared = Prepared.of(file, run.sets, run.data);
            TrainingRun.run(prepared, new TrainingRun.Options(run.runsDir, resume, initFrom, partial, evaluateTest(),
                    run.threads, System.out));
            return Specc.OK;
        });
    }
}
