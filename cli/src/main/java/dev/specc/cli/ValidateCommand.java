package dev.specc.cli;

import dev.specc.Pipeline;
import dev.specc.diag.SpecException;
import dev.specc.shapes.Analysis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate", description = "Check specs as run would, all sections at once: schema, references, "
        + "expressions, shapes, train: and data: values, and where the data is on this machine. Loads no TensorFlow.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SPEC", arity = "1..*", description = "Spec files to check.")
    List<Path> specs;

    @Mixin
    SpecOptions options;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Check with this override, as run would use it (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--data", paramLabel = "SOURCE", description = "Check with this data source or path, as run would use it.")
    String data;

    @Option(names = "--no-data-check", description = "Do not look for the data or train.init_from's weights on this machine (a spec trained elsewhere).")
    boolean noDataCheck;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        int status = Specc.OK;
        DiagnosticPrinter printer = new DiagnosticPrinter(spec.commandLine().getErr());
        Pipeline.Options pipeline = new Pipeline.Options(options.pipelineOptions().inputShape(), sets, data,
                noDataCheck ? Pipeline.DataCheck.SKIPPED : Pipeline.DataCheck.REPORTED);
        for (Path file : specs) {
            try {
                Pipeline.Checked checked = Pipeline.check(file, pipeline);
                printer.print(checked.warnings());
                Analysis a = checked.analysis();
                spec.commandLine().getOut().printf("%s: ok (%s, %s parameters)%n", file, a.model().name(),
                        Numbers.count(a.totalParams()));
            } catch (SpecException e) {
                printer.print(e.diagnostics());
                status = Specc.INVALID;
            }
            spec.commandLine().getOut().flush();
        }
        return status;
    }
}
