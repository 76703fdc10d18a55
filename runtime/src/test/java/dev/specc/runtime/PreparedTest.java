package dev.specc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.specc.Pipeline;
import dev.specc.diag.UsageException;
import dev.specc.runtime.data.ImageShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreparedTest {
    @TempDir
    Path dir;

    private Prepared prepared(String input) throws Exception {
        Path spec = dir.resolve("net.yaml");
        Files.writeString(spec, "specc: 1\ninput: {shape: " + input + "}\nhead:\n"
                + "  - {kind: global_avg_pool}\n  - {kind: dense, units: 10, activation: softmax}\n");
        return Prepared.of(spec, List.of(), null, Pipeline.DataCheck.SKIPPED);
    }

    @Test
    void anInputOfFourChannelsIsTheUsersMistakeForCommandsThatReadImages() throws Exception {
        Prepared fourChannels = prepared("[8, 8, 4]");
        UsageException e = assertThrows(UsageException.class, fourChannels::inputShape);
        assertEquals("input: specc reads images into networks whose input is [height, width, channels] with 1 or 3 "
                + "channels; this input is 8x8x4", e.getMessage());
        assertEquals(new ImageShape(8, 8, 3), prepared("[8, 8, 3]").inputShape());
    }

    @Test
    void anImpossibleImageShapeIsABugNotAUserMistake() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ImageShape(8, 8, 4));
        assertEquals("image shape must be HxWx1 or HxWx3, got 8x8x4", e.getMessage());
    }
}
