package dev.specc.cli;

import dev.specc.runtime.distributed.WorkerLostException;

import dev.specc.diag.FileFormatException;
import dev.specc.diag.SpecException;
import dev.specc.diag.UsageException;
import dev.specc.runtime.ComputeDevice;
import dev.specc.runtime.TrainingRun;
import dev.specc.runtime.data.DataException;
import dev.specc.runtime.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import org.tensorflow.exceptions.TFResourceExhaustedException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.ParseResult;

/**
 * The one exit-code policy: what a command throws becomes a message and an exit code, never a
 * stack trace. A user's mistake (a spec's errors, an argument, a file named on the command line or
 * in a spec that is not in its format, such as a corrupt weight file) exits 2; a run that fails
 * (data, file system, a diverging loss, memory) exits 1; anything else is a bug, reported as an
 * internal error, also 1. A run stopped by Ctrl-C after its checkpoint exits 130.
 */
final class Failures implements IExitCodeExceptionMapper, IExecutionExceptionHandler {
    static final String BUG_HINT = "specc: this is a bug in specc (or TensorFlow), not a mistake in the spec or the "
            + "arguments; please report it with the command line that caused it";

    @Override
    public int getExitCode(Throwable failure) {
        if (failure instanceof TrainingRun.Interrupted) return Specc.INTERRUPTED;
        return isUserMistake(failure) ? Specc.INVALID : Specc.FAILED;
    }

    @Override
    public int handleExecutionException(Exception failure, CommandLine command, ParseResult parsed) {
        report(failure, command.getErr());
        return command.getExitCodeExceptionMapper().getExitCode(failure);
    }

    static boolean isUserMistake(Throwable failure) {
        return failure instanceof SpecException || failure instanceof UsageException
                || failure instanceof CommandLine.ParameterException || failure instanceof FileFormatException;
    }

    static void report(Throwable failure, PrintWriter err) {
        OutOfMemoryError memory = outOfMemory(failure);
        if (failure instanceof TrainingRun.Interrupted) {
            return; // the run printed how to continue before the JVM began to exit
        } else if (memory != null) {
            err.println(outOfMemoryMessage(memory));
        } else if (failure instanceof SpecException e) {
            new DiagnosticPrinter(err).print(e.diagnostics());
        } else if (isUserMistake(failure) || failure instanceof DataException
                || failure instanceof Trainer.NonFiniteLossException || failure instanceof WorkerLostException
                || failure instanceof ComputeDevice.UnavailableException) {
            err.println("specc: " + failure.getMessage());
        } else if (failure instanceof NoSuchFileException e) {
            err.println("specc: no such file: " + e.getFile());
        } else if (failure instanceof AccessDeniedException e) {
            err.println("specc: permission denied: " + e.getFile());
        } else if (failure instanceof IOException) {
            err.println("specc: " + (failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage()));
        } else if (failure instanceof TFResourceExhaustedException) {
            err.println("specc: TensorFlow ran out of memory (" + firstLine(failure.getMessage()) + "); use a smaller "
                    + "train.batch_size or input size");
        } else {
            err.println("specc: internal error: " + failure.getClass().getName()
                    + (failure.getMessage() == null ? "" : ": " + firstLine(failure.getMessage())));
            err.println(BUG_HINT);
        }
        err.flush();
    }

    /** One line: what ran out, the heap's limit and how to raise it. */
    static String outOfMemoryMessage(OutOfMemoryError e) {
        long max = Runtime.getRuntime().maxMemory();
        String limit = max >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", max / (double) (1L << 30))
                : (max >> 20) + " MiB";
        long suggestedGiB = Math.max(2, 2 * ((max + (1L << 30) - 1) >> 30));
        return "specc: Java ran out of memory (" + (e.getMessage() == null ? "no detail" : e.getMessage())
                + "; the heap may grow to " + limit + "): give it more, e.g. SPECC_JAVA_OPTS=-Xmx" + suggestedGiB
                + "g, or use smaller images or a smaller train.batch_size";
    }

    private static OutOfMemoryError outOfMemory(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError e) return e;
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) return "no detail";
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
