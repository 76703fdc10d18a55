package dev.specc.cli;

import dev.specc.diag.Diagnostic;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints diagnostics as compilers do: {@code file:line:col: error: message} (or warning), then
 * the source line and a caret under the column; after errors, how many there were.
 */
final class DiagnosticPrinter {
    private final PrintWriter err;
    private final Map<String, List<String>> sources = new HashMap<>();

    DiagnosticPrinter(PrintWriter err) {
        this.err = err;
    }

    void print(List<Diagnostic> diagnostics) {
        for (Diagnostic d : diagnostics) {
            err.println(d);
            String line = sourceLine(d.pos().file(), d.pos().line());
            if (line != null && !line.isBlank() && line.length() < 300) {
                err.println("    " + line);
                err.println("    " + " ".repeat(Math.max(0, Math.min(d.pos().column() - 1, line.length()))) + "^");
            }
        }
        long errors = diagnostics.stream().filter(Diagnostic::isError).count();
        long warnings = diagnostics.size() - errors;
        if (errors > 0) {
            err.println(errors + (errors == 1 ? " error" : " errors")
                    + (warnings == 0 ? "" : ", " + warnings + (warnings == 1 ? " warning" : " warnings")));
        }
        err.flush();
    }

    private String sourceLine(String file, int line) {
        List<String> lines = sources.computeIfAbsent(file, f -> {
            try {
                byte[] bytes = Files.readAllBytes(Path.of(f));
                return bytes.length > (1 << 20) ? List.of() : new String(bytes, StandardCharsets.UTF_8).lines().toList();
            } catch (IOException | RuntimeException e) {
                return List.of();
            }
        });
        return line >= 1 && line <= lines.size() ? lines.get(line - 1).replace('\t', ' ') : null;
    }
}
