package dev.specc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The --format text|json option of the commands that describe a spec or a file, printing to the command's output. */
final class FormatOption {
    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Prints the document or the table, as --format says. */
    void print(Supplier<? extends JsonNode> document, Consumer<PrintWriter> table) throws IOException {
        format.print(command.commandLine().getOut(), document, table);
    }
}
