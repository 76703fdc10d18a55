package dev.specc.runtime.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.diag.UsageException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSpecTest {
    @Test
    void readsTfConfigAsTensorFlowWritesIt() {
        ClusterSpec spec = ClusterSpec.fromTfConfig(
                "{\"cluster\": {\"worker\": [\"a:2222\", \"b:2222\", \"c:2223\"]}, \"task\": {\"type\": \"worker\", \"index\": 2}}");
        assertEquals(List.of("a:2222", "b:2222", "c:2223"), spec.workers());
        assertEquals(2, spec.taskIndex());
        assertFalse(spec.chief());
        assertEquals("c:2223", spec.address());
        assertEquals("/job:worker/replica:0/task:2/device:CPU:0", spec.device());
        assertEquals("worker 1 (b:2222)", spec.describe(1));
    }

    @Test
    void writesTheTfConfigItReads() {
        ClusterSpec spec = ClusterSpec.of("localhost:1,localhost:2", 0);
        assertTrue(spec.chief());
        assertEquals(new ClusterSpec(spec.workers(), 1), ClusterSpec.fromTfConfig(spec.tfConfig(1)));
    }

    @Test
    void refusesWhatItCannotRunWithAMessage() {
        assertEquals("TF_CONFIG: job \"ps\" is not supported; specc runs synchronous all-reduce training on \"worker\" tasks "
                + "only (worker 0 is the chief)", message("{\"cluster\": {\"worker\": [\"a:1\"], \"ps\": [\"b:1\"]}, "
                + "\"task\": {\"type\": \"worker\", \"index\": 0}}"));
        assertEquals("task index 3 is not one of the cluster's 2 workers (0..1)",
                message("{\"cluster\": {\"worker\": [\"a:1\", \"b:1\"]}, \"task\": {\"type\": \"worker\", \"index\": 3}}"));
        assertEquals("TF_CONFIG: task.type must be \"worker\", got \"chief\"",
                message("{\"cluster\": {\"worker\": [\"a:1\"]}, \"task\": {\"type\": \"chief\", \"index\": 0}}"));
        assertTrue(message("{\"cluster\": ").startsWith("TF_CONFIG is not JSON: "));
        assertEquals("a worker is host:port with a port in 1..65535, got \"a:99999\"",
                assertThrows(UsageException.class, () -> ClusterSpec.of("a:1,a:99999", 0)).getMessage());
        assertEquals("the cluster names a worker twice: a:1,a:1",
                assertThrows(UsageException.class, () -> ClusterSpec.of("a:1,a:1", 0)).getMessage());
    }

    private static String message(String tfConfig) {
        return assertThrows(UsageException.class, () -> ClusterSpec.fromTfConfig(tfConfig)).getMessage();
    }
}
