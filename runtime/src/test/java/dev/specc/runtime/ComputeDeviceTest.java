package dev.specc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.config.Precision;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RewriterConfig;

/** The device follows the launcher's choice, and a GPU that TensorFlow cannot use is never silently the CPU. */
class ComputeDeviceTest {
    private static final String NO_GPU = "Cannot assign a device for operation Add: no GPU";

    @Test
    void withoutTheLaunchersChoiceItIsTheCpu() {
        ComputeDevice device = ComputeDevice.choose(null, null, false, () -> {
            throw new AssertionError("no GPU check without GPU natives");
        });
        assertEquals("device: cpu (TensorFlow's CPU natives are on the class path)", device.describe());
    }

    @Test
    void aUsableGpuIsTheDevice() {
        ComputeDevice device = ComputeDevice.choose("gpu", "nvidia-smi -L lists GPU 0: NVIDIA H200", false, () -> null);
        assertTrue(device.gpu());
        assertEquals("gpu", device.spelling());
    }

    @Test
    void aGpuAskedForByNameThatTensorFlowCannotUseFailsTheCommand() {
        ComputeDevice.UnavailableException e = assertThrows(ComputeDevice.UnavailableException.class,
                () -> ComputeDevice.choose("gpu", "SPECC_DEVICE=gpu", true, () -> NO_GPU));
        assertTrue(e.getMessage().startsWith("SPECC_DEVICE=gpu, but TensorFlow can use no GPU: " + NO_GPU + ". "),
                e.getMessage());
    }

    @Test
    void aDetectedGpuThatTensorFlowCannotUseFallsBackToTheCpuAndSaysWhy() {
        ComputeDevice device = ComputeDevice.choose("gpu", "nvidia-smi -L lists GPU 0: Tesla T4", false, () -> NO_GPU);
        assertEquals(ComputeDevice.Kind.CPU, device.kind());
        assertEquals("nvidia-smi -L lists GPU 0: Tesla T4, but TensorFlow cannot use it (" + NO_GPU + "), so this "
                + "computes on the CPU; SPECC_DEVICE=cpu skips the GPU natives", device.reason());
    }

    @Test
    void theGpuCheckFindsNoGpuInTheCpuNatives() {
        // The tests run on TensorFlow's CPU natives, where an op pinned to GPU 0 cannot be placed.
        String problem = ComputeDevice.gpuProblem();
        assertNotNull(problem);
        assertTrue(problem.contains("GPU:0"), problem);
    }

    @Test
    void float16SwitchesOnTheGpuRewriteOnAGpuAndItsEmulationOnACpu() {
        ComputeDevice gpu = new ComputeDevice(ComputeDevice.Kind.GPU, "test");
        ComputeDevice cpu = new ComputeDevice(ComputeDevice.Kind.CPU, "test");
        ConfigProto onGpu = Sessions.config(1, Precision.FLOAT16, gpu);
        assertEquals(RewriterConfig.Toggle.ON, onGpu.getGraphOptions().getRewriteOptions().getAutoMixedPrecision());
        assertEquals(RewriterConfig.Toggle.DEFAULT, onGpu.getGraphOptions().getRewriteOptions().getAutoMixedPrecisionCpu());
        assertTrue(onGpu.getGpuOptions().getAllowGrowth());
        ConfigProto onCpu = Sessions.config(1, Precision.FLOAT16, cpu);
        assertEquals(RewriterConfig.Toggle.ON, onCpu.getGraphOptions().getRewriteOptions().getAutoMixedPrecisionCpu());
        assertEquals(RewriterConfig.Toggle.DEFAULT, onCpu.getGraphOptions().getRewriteOptions().getAutoMixedPrecision());
        ConfigProto float32 = Sessions.config(1, Precision.FLOAT32, gpu);
        assertEquals(RewriterConfig.Toggle.DEFAULT, float32.getGraphOptions().getRewriteOptions().getAutoMixedPrecision());
        assertEquals(RewriterConfig.Toggle.OFF,
                float32.getGraphOptions().getRewriteOptions().getAutoMixedPrecisionOnednnBfloat16());
    }
}
