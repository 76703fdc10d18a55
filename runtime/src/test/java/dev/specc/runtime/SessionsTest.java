package dev.specc.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.config.Precision;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.RewriterConfig;

class SessionsTest {
    @AfterEach
    void forget() {
        Sessions.forgetProcessPoolForTest();
    }

    @Test
    void withoutTheOverrideASecondThreadSettingInOneProcessIsRefusedNotIgnored() {
        Sessions.checkProcessPool(2, false);
        assertDoesNotThrow(() -> Sessions.checkProcessPool(2, false));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Sessions.checkProcessPool(1, false));
        assertTrue(e.getMessage().contains("already runs TensorFlow with --threads 2"), e.getMessage());
        assertTrue(e.getMessage().contains("TF_OVERRIDE_GLOBAL_THREADPOOL=1"), e.getMessage());
    }

    @Test
    void withTheOverrideEverySessionHasItsOwnPool() {
        Sessions.checkProcessPool(2, true);
        assertDoesNotThrow(() -> Sessions.checkProcessPool(1, true));
        assertDoesNotThrow(() -> Sessions.checkProcessPool(0, false));
    }

    @Test
    void theOverrideIsReadAsTensorFlowReadsIt() {
        assertTrue(Sessions.ownPoolPerSession("1"));
        assertTrue(Sessions.ownPoolPerSession("TRUE"));
        assertFalse(Sessions.ownPoolPerSession("0"));
        assertFalse(Sessions.ownPoolPerSession(null));
    }

    @Test
    void theTestJvmRunsWithAPoolPerSession() {
        assertTrue(Sessions.ownPoolPerSession(System.getenv(Sessions.OVERRIDE_GLOBAL_POOL)),
                "surefire must set TF_OVERRIDE_GLOBAL_THREADPOOL=1, or in-JVM runs ignore --threads");
    }

    @Test
    void bfloat16SwitchesOnOneDnnsAutoMixedPrecisionRewriteAndFloat32SwitchesItOff() {
        assertEquals(RewriterConfig.Toggle.ON, Sessions.config(2, Precision.BFLOAT16).getGraphOptions().getRewriteOptions()
                .getAutoMixedPrecisionOnednnBfloat16());
        assertEquals(RewriterConfig.Toggle.OFF, Sessions.config(2, Precision.FLOAT32).getGraphOptions().getRewriteOptions()
                .getAutoMixedPrecisionOnednnBfloat16());
        assertEquals(2, Sessions.config(2, Precision.BFLOAT16).getIntraOpParallelismThreads(), "threads kept");
        assertThrows(IllegalArgumentException.class, () -> Sessions.config(2, Precision.AUTO));
    }
}
