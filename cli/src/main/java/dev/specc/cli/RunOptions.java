package dev.specc.cli;

import dev.specc.config.Precision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

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

    @Option(names = "--precision", paramLabel = "auto|float32|bfloat16|float16", converter = PrecisionConverter.class,
            description = "Number format of convolutions and matmuls, instead of the spec's train.precision (or, with "
                    + "--resume and --run, the run's): auto (float16 on a GPU; bfloat16 on CPUs with AMX-BF16 or "
                    + "AVX512-BF16, else float32), float32, bfloat16 (CPUs) or float16 (GPUs). Weights stay float32.")
    Precision precision;

    static final class PrecisionConverter implements ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            Precision precision = Precision.of(value);
            if (precision == null) {
                throw new TypeConversionException("expected one of " + String.join(", ", Precision.spellings())
                        + ", got '" + value + "'");
            }
            return precision;
        }
    }
}
