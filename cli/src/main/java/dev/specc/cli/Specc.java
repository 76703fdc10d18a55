package dev.specc.cli;

import dev.specc.diag.Suggest;
import dev.specc.runtime.InterruptHook;
import java.io.PrintWriter;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/** The specc command: every subcommand is listed here, and each is a thin adapter over the pipeline. */
@Command(name = "specc", mixinStandardHelpOptions = true, versionProvider = Version.class, scope = ScopeType.INHERIT,
        description = "Compile, check and run declarative convolutional network specs.",
        subcommands = {ValidateCommand.class, SummaryCommand.class, WeightsCommand.class, GraphCommand.class, RunCommand.class, TrainCommand.class,
                EvalCommand.class, PredictCommand.class, ExportCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the run failed (data, files, memory, a diverging loss) or an internal error",
                "2:a mistake in the spec, an argument or a file named on the command line",
                "130:interrupted by Ctrl-C after a checkpoint (continue with --resume)"})
public final class Specc {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int INVALID = 2;
    /** 128 + SIGINT, as shells report a process ended by Ctrl-C. */
    public static final int INTERRUPTED = 130;

    public static void main(String[] args) {
        InterruptHook.exit(run(args));
    }

    /** Runs a command line and returns its exit code (used by tests without exiting the JVM). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(err, () -> withPolicy(new CommandLine(new Specc()), out, err), args);
    }

    /** Runs a command line; an OutOfMemoryError, which picocli lets through, ends here as one line too. */
    static int run(PrintWriter err, Supplier<CommandLine> cli, String... args) {
        try {
            return cli.get().execute(args);
        } catch (OutOfMemoryError e) {
            Failures.report(e, err);
            return new Failures().getExitCode(e);
        }
    }

    /** {@code cli} and its subcommands with the streams and the exit-code policy of {@link Failures}. */
    static CommandLine withPolicy(CommandLine cli, PrintWriter out, PrintWriter err) {
        Failures failures = new Failures();
        cli.setOut(out).setErr(err);
        cli.setExitCodeExceptionMapper(failures);
        cli.setExecutionExceptionHandler(failures);
        cli.setParameterExceptionHandler((e, a) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("specc: " + e.getMessage());
            if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
                for (String arg : unmatched.getUnmatched()) {
                    String close = Suggest.closest(arg, c.getCommandSpec().optionsMap().keySet());
                    if (arg.startsWith("-") && close != null) c.getErr().println("Did you mean " + close + " instead of " + arg + "?");
                }
            }
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return failures.getExitCode(e);
        });
        return cli;
    }
}
