package dev.specc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DataSettingsTest {
    @Test
    void theDiskCacheLivesInSpeccCacheDirElseXdgCacheHomeElseHomeCache() {
        assertEquals(Path.of("/big/disk"), DataSettings.defaultFolder("/big/disk", "/xdg", "/home/u"));
        assertEquals(Path.of("/xdg/specc/data"), DataSettings.defaultFolder(null, "/xdg", "/home/u"));
        assertEquals(Path.of("/xdg/specc/data"), DataSettings.defaultFolder("", "/xdg", "/home/u"));
        assertEquals(Path.of("/home/u/.cache/specc/data"), DataSettings.defaultFolder(null, "", "/home/u"));
    }

    @Test
    void theAutomaticBudgetIsAQuarterOfTheHeap() {
        assertEquals(Runtime.getRuntime().maxMemory() / 4, DataSettings.defaults(0).memoryBudget());
        assertEquals(DiskCache.DEFAULT_SEGMENT_BYTES, DataSettings.defaults(3).segmentBytes());
        assertEquals(3, DataSettings.defaults(3).threads());
    }
}
