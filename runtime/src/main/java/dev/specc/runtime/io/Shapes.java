package dev.specc.runtime.io;

import java.util.Arrays;

/** Element counts of tensor shapes, checked: a shape read from a file may claim any dimensions. */
public final class Shapes {
    private Shapes() {
    }

    /**
     * The number of elements of a tensor of this shape (1 for a scalar).
     *
     * @throws ArithmeticException for a negative dimension or a count past {@link Long#MAX_VALUE}
     */
    public static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new ArithmeticException("negative dimension in shape " + Arrays.toString(shape));
            if (d == 0) n = 0;
        }
        if (n == 0) return 0;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    /**
     * The number of elements, for an array that holds them all.
     *
     * @throws ArithmeticException as {@link #elements(long[])}, or for more than {@link Integer#MAX_VALUE} elements
     */
    public static int intElements(long[] shape) {
        return Math.toIntExact(elements(shape));
    }
}
