package dev.specc.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.specc.config.DataConfig;
import dev.specc.config.Normalization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one place the data section's pixel scaling becomes constants, for the data pipeline and the exported graph. */
class LoweringOptionsTest {
    @Test
    void theDataSectionsScalingPerChannel() {
        DataConfig d = DataConfig.defaults();
        Normalization rgb = new Normalization(List.of(0.5, 0.25, 0.125), List.of(2.0, 4.0, 8.0), null);
        DataConfig normalized = new DataConfig(d.source(), null, null, null, 0.1, 42, 0.5, rgb, d.augment(), 1, 1, null, null);
        LoweringOptions.Preprocessing p = LoweringOptions.Preprocessing.of(normalized, 3);
        assertEquals(0.5f, p.rescale());
        assertArrayEquals(new float[] {0.5f, 0.25f, 0.125f}, p.mean());
        assertArrayEquals(new float[] {2, 4, 8}, p.std());
        LoweringOptions.Preprocessing plain = LoweringOptions.Preprocessing.of(d, 1);
        assertEquals((float) d.rescale(), plain.rescale());
        assertArrayEquals(new float[] {0}, plain.mean());
        assertArrayEquals(new float[] {1}, plain.std());
    }
}
