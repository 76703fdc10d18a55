package dev.specc.cli;

import dev.specc.diag.Suggest;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The specc command: every subcommand is listed here, and each is a thin adapter over the pipeline. */
@Command(name = "specc", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Compile, check and run declarative convolutional network specs.",
        subcommands = {ValidateCommand.class, SummaryCommand.class, GraphCommand.class, RunCommand.class, TrainCommand.class,
                EvalCommand.class, PredictCommand.class, ExportCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the run failed", "2:invalid spec or argument",
                "130:interrupted by Ctrl-C after a checkpoint (continue with --resume)"})
public final class Specc {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int INVALID = 2;
    /** 128 + SIGINT, as shells report a process ended by Ctrl-C. */
    public static final int INTERRUPTED = 130;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (used by tests without exiting the JVM). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Specc()).setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("specc: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return FAILED;
        });
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
            return INVALID;
        });
        return cli.execute(args);
    }
}
