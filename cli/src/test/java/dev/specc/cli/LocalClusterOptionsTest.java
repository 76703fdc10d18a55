package dev.specc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a local cluster's worker processes inherit from the JVM that starts them. */
class LocalClusterOptionsTest {
    @Test
    void workersGetTheLaunchersDeviceChoiceAndMemorySettingsButNoAgentsOrArchives() {
        List<String> launcher = List.of("-Dspecc.device=gpu", "-Dspecc.device.reason=SPECC_DEVICE=gpu",
                "-Dorg.bytedeco.javacpp.platform.extension=-gpu", "-Xmx8g", "-Xss4m",
                "-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-XX:SharedArchiveFile=cli/target/specc.jsa",
                "-XX:+UseSerialGC");
        assertEquals(List.of("-Dspecc.device=gpu", "-Dspecc.device.reason=SPECC_DEVICE=gpu",
                "-Dorg.bytedeco.javacpp.platform.extension=-gpu", "-Xmx8g", "-Xss4m"),
                LocalCluster.inheritedJvmOptions(launcher));
    }
}
