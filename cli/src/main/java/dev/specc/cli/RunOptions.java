package dev.specc.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by the commands that run a spec. */
final class RunOptions {
    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a spec value, e.g. --set train.epochs=3 --set stages.conv5.dilation=4 (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--data", paramLabel = "SOURCE",
            description = "Data source: a name (fashion_mnist_subset, fashion_mnist, mnist, cifar10) or a path "
                    + "(a folder of class subfolders, IDX files or CIFAR-10 batches).")
    String data;

    @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = "runs",
            description = "Where run directories go (default: ${DEFAULT-VALUE}).")
    Path runsDir;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", converter = WholeNumber.Threads.class,
            description = "TensorFlow threads (default: one per core).")
    int threads;
}
