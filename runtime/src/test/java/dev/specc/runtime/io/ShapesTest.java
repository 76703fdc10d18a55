package dev.specc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ShapesTest {
    @Test
    void elementCountsAreCheckedForOverflowAndNegativeDimensions() {
        assertEquals(1, Shapes.elements(new long[0]), "a scalar");
        assertEquals(24, Shapes.elements(new long[] {2, 3, 4}));
        assertEquals(0, Shapes.elements(new long[] {1L << 40, 1L << 40, 0}), "an empty tensor, however large its other axes");
        assertThrows(ArithmeticException.class, () -> Shapes.elements(new long[] {1L << 40, 1L << 40}));
        assertEquals("negative dimension in shape [2, -3]",
                assertThrows(ArithmeticException.class, () -> Shapes.elements(new long[] {2, -3})).getMessage());
        assertEquals(Integer.MAX_VALUE, Shapes.intElements(new long[] {Integer.MAX_VALUE, 1}));
        assertThrows(ArithmeticException.class, () -> Shapes.intElements(new long[] {1L << 16, 1L << 15}));
    }

    @Test
    void byteSizeStillNamesNegativeAndTooLargeShapes() {
        assertEquals("negative dimension in shape [-1]", assertThrows(IllegalArgumentException.class,
                () -> Tensor.byteSize(DType.F32, new long[] {-1})).getMessage());
        assertEquals("a F32 tensor of shape [4294967296, 4294967296] is larger than 2 GiB, the most specc holds in one tensor",
                assertThrows(IllegalArgumentException.class,
                        () -> Tensor.byteSize(DType.F32, new long[] {1L << 32, 1L << 32})).getMessage());
        assertEquals(96, Tensor.byteSize(DType.F32, new long[] {2, 3, 4}));
    }
}
