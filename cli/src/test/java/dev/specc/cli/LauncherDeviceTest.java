package dev.specc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's choice of TensorFlow natives (cli/launcher/device.sh, which ./specc sources), run by
 * bash with a stand-in nvidia-smi first on the PATH.
 */
class LauncherDeviceTest {
    private static final Path DEVICE_SH = Path.of("launcher/device.sh").toAbsolutePath();

    @TempDir
    Path bin;

    record Choice(int exitCode, String output) {
    }

    private Choice choose(String specDevice, String nvidiaSmiScript) throws IOException, InterruptedException {
        if (nvidiaSmiScript != null) {
            Path smi = bin.resolve("nvidia-smi");
            Files.writeString(smi, "#!/bin/sh\n" + nvidiaSmiScript + "\n");
            Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", ". \"$0\"; specc_choose_device || exit $?; "
                + "echo \"$specc_device|$specc_device_reason|$specc_device_explicit\"", DEVICE_SH.toString());
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        if (specDevice == null) builder.environment().remove("SPECC_DEVICE");
        else builder.environment().put("SPECC_DEVICE", specDevice);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return new Choice(process.waitFor(), output);
    }

    @Test
    void aGpuListedByNvidiaSmiPicksTheGpuNatives() throws Exception {
        Choice choice = choose(null, "echo 'GPU 0: NVIDIA H200 (UUID: GPU-4f1c)'; echo 'GPU 1: NVIDIA H200 (UUID: GPU-77ab)'");
        assertEquals(new Choice(0, "gpu|nvidia-smi -L lists GPU 0: NVIDIA H200|false"), choice);
    }

    @Test
    void noGpuListedKeepsTheCpuNatives() throws Exception {
        Choice choice = choose("auto", "echo 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.'; exit 9");
        assertEquals(new Choice(0, "cpu|nvidia-smi -L lists no GPU|false"), choice);
    }

    @Test
    void specDeviceOverridesDetectionEitherWay() throws Exception {
        assertEquals(new Choice(0, "gpu|SPECC_DEVICE=gpu|true"), choose("gpu", "exit 9"));
        assertEquals(new Choice(0, "cpu|SPECC_DEVICE=cpu|true"), choose("cpu", "echo 'GPU 0: NVIDIA H200 (UUID: GPU-4f1c)'"));
    }

    @Test
    void anUnknownSpecDeviceIsAUsageError() throws Exception {
        assertEquals(new Choice(2, "specc: SPECC_DEVICE must be cpu, gpu or auto, got 'cuda'"), choose("cuda", "exit 9"));
    }
}
