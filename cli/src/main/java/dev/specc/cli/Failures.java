package dev.specc.cli;

import dev.specc.diag.SpecException;
import dev.specc.runtime.TrainingRun;
import dev.specc.runtime.data.DataException;
import dev.specc.runtime.io.WeightLoadException;
import dev.specc.runtime.run.RunDirectory;
import dev.specc.runtime.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Runs a command body and turns what it throws into a message and an exit code, never a stack trace. */
final class Failures {
    private Failures() {
    }

    static int guard(PrintWriter err, Callable<Integer> body) {
        try {
            return body.call();
        } catch (SpecException e) {
            new DiagnosticPrinter(err).print(e.diagnostics());
            return Specc.INVALID;
        } catch (TrainingRun.Interrupted e) {
            return Specc.INTERRUPTED; // the run printed how to continue before the JVM began to exit
        } catch (TrainingRun.SpecChangedException | RunDirectory.InUseException | WeightLoadException
                 | IllegalArgumentException e) {
            err.println("specc: " + e.getMessage());
            return Specc.INVALID;
        } catch (Trainer.NonFiniteLossException | DataException e) {
            err.println("specc: " + e.getMessage());
            return Specc.FAILED;
        } catch (IOException e) {
            err.println("specc: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return Specc.FAILED;
        } catch (Exception e) {
            err.println("specc: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return Specc.FAILED;
        } finally {
            err.flush();
        }
    }
}
