package dev.specc.lower;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.ir.LayerSpec;
import org.junit.jupiter.api.Test;

class LoweringRegistryTest {

    @Test
    @SuppressWarnings("unchecked")
    void everyLayerRecordHasALowering() {
        LoweringRegistry registry = LoweringRegistry.standard();
        for (Class<?> kind : LayerSpec.class.getPermittedSubclasses()) {
            assertNotNull(registry.lowering((Class<? extends LayerSpec>) kind), kind.getName());
        }
        assertTrue(registry.kinds().size() == LayerSpec.class.getPermittedSubclasses().length);
    }

    @Test
    void unknownClassListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoweringRegistry.standard().lowering(LayerSpec.class));
        assertTrue(e.getMessage().contains("known: Activation, Add, BatchNorm, Concat, Conv2d"), e.getMessage());
    }
}
