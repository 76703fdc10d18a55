package dev.specc.cli;

import dev.specc.Pipeline;
import dev.specc.diag.SpecException;
import dev.specc.shapes.Analysis;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate", description = "Check specs: schema, references, expressions, shapes. Loads no TensorFlow.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SPEC", arity = "1..*", description = "Spec files to check.")
    List<Path> specs;

    @Mixin
    SpecOptions options;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        int status = Specc.OK;
        DiagnosticPrinter printer = new DiagnosticPrinter(spec.commandLine().getErr());
        for (Path file : specs) {
            try {
                Analysis a = Pipeline.analyze(file, options.pipelineOptions());
                spec.commandLine().getOut().printf("%s: ok (%s, %s parameters)%n", file, a.model().name(),
                        Format.count(a.totalParams()));
            } catch (SpecException e) {
                printer.print(e.diagnostics());
                status = Specc.INVALID;
            }
        }
        spec.commandLine().getOut().flush();
        return status;
    }
}
