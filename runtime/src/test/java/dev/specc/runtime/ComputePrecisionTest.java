package dev.specc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.specc.config.Precision;
import dev.specc.diag.UsageException;
import dev.specc.runtime.run.RunDirectory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What auto picks is a function of the CPU's flags, fed here, not read from the machine the tests run on. */
class ComputePrecisionTest {
    static final String XEON_AMX = "flags\t\t: fpu vme sse sse2 avx2 avx512f avx512_bf16 amx_bf16 amx_tile amx_int8";
    static final String EPYC_AVX512_BF16 = "flags\t\t: fpu vme sse sse2 avx2 avx512f avx512_bf16 avx512_vnni";
    static final String OLDER_AVX2 = "flags\t\t: fpu vme sse sse2 avx avx2 fma";

    @Test
    void autoPicksBfloat16WhereTheCpuHasAmxOrAvx512Bf16() {
        assertEquals(new ComputePrecision(Precision.BFLOAT16, "auto: the CPU has amx_bf16"),
                ComputePrecision.auto(ComputePrecision.flagsOf(XEON_AMX)));
        assertEquals(new ComputePrecision(Precision.BFLOAT16, "auto: the CPU has avx512_bf16"),
                ComputePrecision.auto(ComputePrecision.flagsOf(EPYC_AVX512_BF16)));
    }

    @Test
    void autoPicksFloat32WhereTheCpuHasNoBfloat16Instructions() {
        assertEquals(new ComputePrecision(Precision.FLOAT32, "auto: the CPU has no amx_bf16 or avx512_bf16"),
                ComputePrecision.auto(ComputePrecision.flagsOf(OLDER_AVX2)));
        assertEquals(Precision.FLOAT32, ComputePrecision.auto(Set.of()).precision(), "flags unknown (not Linux)");
        // A flag is a whole word: avx512_bf16x is not avx512_bf16.
        assertEquals(Precision.FLOAT32, ComputePrecision.auto(Set.of("avx512_bf16x", "amx_tile")).precision());
    }

    @Test
    void cpuinfoFlagLinesAreSplitIntoWords() {
        assertEquals(Set.of("fpu", "vme", "sse", "sse2", "avx", "avx2", "fma"), ComputePrecision.flagsOf(OLDER_AVX2));
        assertEquals(Set.of(), ComputePrecision.flagsOf("flags\t\t:"));
    }

    @Test
    void anOptionOverridesTheSpecAndTheReasonSaysWhichDecided() {
        assertEquals(new ComputePrecision(Precision.FLOAT32, "--precision float32"),
                ComputePrecision.resolve(Precision.FLOAT32, Precision.BFLOAT16));
        assertEquals(new ComputePrecision(Precision.BFLOAT16, "train.precision: bfloat16"),
                ComputePrecision.resolve(null, Precision.BFLOAT16));
        assertEquals(ComputePrecision.auto(ComputePrecision.cpuFlags()), ComputePrecision.resolve(Precision.AUTO, Precision.FLOAT32));
        assertEquals("precision: bfloat16 (--precision bfloat16)",
                ComputePrecision.resolve(Precision.BFLOAT16, Precision.AUTO).describe());
    }

    @Test
    void autoIsNeverAResolvedPrecision() {
        assertThrows(IllegalArgumentException.class, () -> new ComputePrecision(Precision.AUTO, "undecided"));
    }

    @Test
    void aRunComputesInThePrecisionItRecordedAndOldRunsInFloat32(@TempDir Path dir) throws Exception {
        RunDirectory old = RunDirectory.create(dir, "old");
        old.writeEnvironment(Map.of("seed", 1));
        assertEquals(new ComputePrecision(Precision.FLOAT32, "the run records no precision: it was started before "
                + "train.precision existed, in float32"), ComputePrecision.ofRun(old));
        RunDirectory recorded = RunDirectory.create(dir, "recorded");
        recorded.writeEnvironment(Map.of("precision", "bfloat16", "precision_reason", "auto: the CPU has amx_bf16"));
        assertEquals(new ComputePrecision(Precision.BFLOAT16, "as the run computed: auto: the CPU has amx_bf16"),
                ComputePrecision.ofRun(recorded));
    }

    static final ComputeDevice CPU = new ComputeDevice(ComputeDevice.Kind.CPU, "no GPU listed by nvidia-smi -L");
    static final ComputeDevice GPU = new ComputeDevice(ComputeDevice.Kind.GPU, "nvidia-smi -L lists GPU 0: NVIDIA H200");

    @Test
    void autoOnAGpuIsFloat16WithLossScalingWhateverTheCpu() {
        assertEquals(new ComputePrecision(Precision.FLOAT16, "auto: on a GPU, TensorFlow's float16 auto mixed precision "
                + "with dynamic loss scaling"), ComputePrecision.resolve(null, Precision.AUTO, GPU,
                ComputePrecision.flagsOf(XEON_AMX)));
        assertEquals(Precision.BFLOAT16, ComputePrecision.resolve(null, Precision.AUTO, CPU,
                ComputePrecision.flagsOf(XEON_AMX)).precision());
    }

    @Test
    void bfloat16OnAGpuIsRefusedRatherThanSilentlyComputedInFloat32() {
        UsageException e = assertThrows(UsageException.class,
                () -> ComputePrecision.resolve(null, Precision.BFLOAT16, GPU, Set.of()));
        assertEquals("precision bfloat16 (train.precision: bfloat16) is TensorFlow's oneDNN rewrite for CPUs, and this "
                + "process computes on a GPU (nvidia-smi -L lists GPU 0: NVIDIA H200): use --precision float16 (what "
                + "auto picks on a GPU) or float32, or SPECC_DEVICE=cpu", e.getMessage());
        assertEquals(Precision.FLOAT16, ComputePrecision.resolve(Precision.FLOAT16, Precision.BFLOAT16, GPU, Set.of()).precision());
    }

    @Test
    void float16OnACpuRunsEmulatedAndSaysSo() {
        assertEquals("precision: float16 (--precision float16; emulated on the CPU: float16 inputs and outputs, float32 "
                + "arithmetic, slower than float32)", ComputePrecision.resolve(Precision.FLOAT16, Precision.AUTO, CPU,
                Set.of()).describe());
    }

    @Test
    void aBfloat16RunResumedOnAGpuIsRefused(@TempDir Path dir) throws Exception {
        RunDirectory recorded = RunDirectory.create(dir, "bf16");
        recorded.writeEnvironment(Map.of("precision", "bfloat16", "precision_reason", "auto: the CPU has amx_bf16"));
        assertThrows(UsageException.class, () -> ComputePrecision.ofRun(recorded, GPU));
        assertEquals(Precision.BFLOAT16, ComputePrecision.ofRun(recorded, CPU).precision());
    }
}
