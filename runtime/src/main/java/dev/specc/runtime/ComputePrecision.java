package dev.specc.runtime;

import dev.specc.config.Precision;
import dev.specc.diag.UsageException;
import dev.specc.runtime.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The precision a session computes in (float32, bfloat16 or float16) and why, as the run directory records it.
 *
 * <p>{@code auto} is a rule, not a probe. On a GPU it is float16: TensorFlow's auto mixed precision
 * rewrite, with dynamic loss scaling (TensorFlow 2.16 has no bfloat16 rewrite for GPUs). On a CPU it
 * is bfloat16 where the CPU has AMX-BF16 (convolutions measured about 6x faster than float32 on an
 * Intel Xeon) or AVX512-BF16 (measured 1.2x to 2x faster on an AMD EPYC without AMX: the README's
 * "Precision"), float32 elsewhere, where oneDNN has no bfloat16 instructions and emulates them.
 */
public record ComputePrecision(Precision precision, String reason) {
    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");
    /** The /proc/cpuinfo flags of bfloat16 instructions, the faster first. */
    private static final List<String> BFLOAT16_FLAGS = List.of("amx_bf16", "avx512_bf16");

    public ComputePrecision {
        if (precision == Precision.AUTO) throw new IllegalArgumentException("auto is not a resolved precision");
    }

    /** --precision when given (not null), else the spec's train.precision; auto decided by this process's device. */
    public static ComputePrecision resolve(Precision option, Precision spec) {
        return resolve(option, spec, ComputeDevice.current(), cpuFlags());
    }

    static ComputePrecision resolve(Precision option, Precision spec, ComputeDevice device, Set<String> cpuFlags) {
        Precision requested = option != null ? option : spec;
        if (requested == Precision.AUTO) {
            return device.gpu() ? new ComputePrecision(Precision.FLOAT16, "auto: on a GPU, TensorFlow's float16 auto "
                    + "mixed precision with dynamic loss scaling") : auto(cpuFlags);
        }
        return checkedOn(device, new ComputePrecision(requested,
                (option != null ? "--precision " : "train.precision: ") + requested.spelling()));
    }

    /**
     * The precision a run directory records (environment.json), for a resume or for eval, predict and
     * export of the run; float32 for a run started before train.precision existed, which computed in float32.
     */
    public static ComputePrecision ofRun(RunDirectory run) throws IOException {
        return ofRun(run, ComputeDevice.current());
    }

    static ComputePrecision ofRun(RunDirectory run, ComputeDevice device) throws IOException {
        Precision recorded = Precision.of(run.recordedPrecision());
        if (recorded == null || recorded == Precision.AUTO) {
            return new ComputePrecision(Precision.FLOAT32, "the run records no precision: it was started before "
                    + "train.precision existed, in float32");
        }
        String reason = run.recordedPrecisionReason();
        return checkedOn(device, new ComputePrecision(recorded, "as the run computed"
                + (reason == null || reason.startsWith("as the run computed") ? "" : ": " + reason)));
    }

    /** bfloat16 is refused on a GPU, where TensorFlow would silently compute in float32; float16 on a CPU is emulated. */
    private static ComputePrecision checkedOn(ComputeDevice device, ComputePrecision chosen) {
        if (device.gpu() && chosen.precision == Precision.BFLOAT16) {
            throw new UsageException("precision bfloat16 (" + chosen.reason + ") is TensorFlow's oneDNN rewrite for "
                    + "CPUs, and this process computes on a GPU (" + device.reason() + "): use --precision float16 "
                    + "(what auto picks on a GPU) or float32, or SPECC_DEVICE=cpu");
        }
        if (!device.gpu() && chosen.precision == Precision.FLOAT16 && !chosen.reason.contains(EMULATED)) {
            return new ComputePrecision(Precision.FLOAT16, chosen.reason + "; " + EMULATED);
        }
        return chosen;
    }

    private static final String EMULATED = "emulated on the CPU: float16 inputs and outputs, float32 arithmetic, "
            + "slower than float32";
    /** What auto picks on a CPU with these flags (as /proc/cpuinfo spells them). */
    static ComputePrecision auto(Set<String> flags) {
        for (String flag : BFLOAT16_FLAGS) {
            if (flags.contains(flag)) return new ComputePrecision(Precision.BFLOAT16, "auto: the CPU has " + flag);
        }
        return new ComputePrecision(Precision.FLOAT32, "auto: the CPU has no amx_bf16 or avx512_bf16");
    }

    /** The flags of the first processor in /proc/cpuinfo; none where it cannot be read (not Linux). */
    static Set<String> cpuFlags() {
        try {
            return Files.readAllLines(CPU_INFO).stream().filter(line -> line.startsWith("flags")).findFirst()
                    .map(ComputePrecision::flagsOf).orElse(Set.of());
        } catch (IOException | SecurityException unreadable) {
            return Set.of();
        }
    }

    /** The flags of a /proc/cpuinfo "flags : a b c" line. */
    static Set<String> flagsOf(String line) {
        int colon = line.indexOf(':');
        return Arrays.stream(line.substring(colon + 1).trim().split("\\s+")).filter(f -> !f.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** As printed at the start of a run. */
    public String describe() {
        return "precision: " + precision.spelling() + " (" + reason + ")";
    }
}
