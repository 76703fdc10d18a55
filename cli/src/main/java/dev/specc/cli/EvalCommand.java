package dev.specc.cli;

import dev.specc.runtime.ComputeDevice;
import dev.specc.runtime.TrainedModel;
import dev.specc.runtime.report.EvaluationReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "eval", description = "Evaluate a checkpoint on the test split: loss, accuracy, top-5, confusion matrix.")
final class EvalCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SPEC", arity = "0..1", description = "The spec file (leave it out with --run).")
    Path file;

    @Mixin
    CheckpointOption checkpoint;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() throws Exception {
        checkpoint.check(file);
        try (TrainedModel model = checkpoint.load(file, run, true)) {
            System.out.println(ComputeDevice.current().describe());
            System.out.println(model.precision().describe());
            EvaluationReport report = model.evaluate(System.out);
            System.out.print(report.text());
            System.out.flush();
        }
        return Specc.OK;
    }
}
