package dev.specc.runtime.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor held in Java memory: element type, shape and the elements as little-endian bytes in
 * row-major order, as a safetensors file stores them. Immutable: the shape and the bytes are
 * copied in, and {@link #shape()} and {@link #data()} hand out copies and read-only views.
 * One tensor holds at most 2 GiB.
 */
public record Tensor(DType dtype, long[] shape, ByteBuffer data) {

    public Tensor {
        if (dtype == null || shape == null || data == null) {
            throw new IllegalArgumentException("a tensor needs a dtype, a shape and data");
        }
        shape = shape.clone();
        long bytes = byteSize(dtype, shape);
        if (data.remaining() != bytes) {
            throw new IllegalArgumentException("a " + dtype + " tensor of shape " + Arrays.toString(shape)
                    + " holds " + bytes + " bytes, not " + data.remaining());
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data.duplicate());
        data = copy.flip().asReadOnlyBuffer();
    }

    /**
     * Bytes that a tensor of this type and shape takes.
     *
     * @throws IllegalArgumentException for a negative dimension or more than 2 GiB
     */
    public static long byteSize(DType dtype, long[] shape) {
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(Shapes.elements(shape), dtype.bytes());
        } catch (ArithmeticException e) {
            bytes = Long.MAX_VALUE;
        }
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a " + dtype + " tensor of shape " + Arrays.toString(shape)
                    + " is larger than 2 GiB, the most specc holds in one tensor");
        }
        return bytes;
    }

    public static Tensor ofFloats(long[] shape, float... values) {
        ByteBuffer bytes = allocate(values.length, DType.F32);
        bytes.asFloatBuffer().put(values);
        return new Tensor(DType.F32, shape, bytes);
    }

    public static Tensor ofDoubles(long[] shape, double... values) {
        ByteBuffer bytes = allocate(values.length, DType.F64);
        bytes.asDoubleBuffer().put(values);
        return new Tensor(DType.F64, shape, bytes);
    }

    public static Tensor ofInts(long[] shape, int... values) {
        ByteBuffer bytes = allocate(values.length, DType.I32);
        bytes.asIntBuffer().put(values);
        return new Tensor(DType.I32, shape, bytes);
    }

    public static Tensor ofLongs(long[] shape, long... values) {
        ByteBuffer bytes = allocate(values.length, DType.I64);
        bytes.asLongBuffer().put(values);
        return new Tensor(DType.I64, shape, bytes);
    }

    private static ByteBuffer allocate(int elements, DType dtype) {
        return ByteBuffer.allocate(Math.multiplyExact(elements, dtype.bytes())).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** A read-only little-endian view of the elements, positioned at the first byte. */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    public long elements() {
        return data.capacity() / dtype.bytes();
    }

    public float[] toFloats() {
        require(DType.F32);
        float[] values = new float[(int) elements()];
        data().asFloatBuffer().get(values);
        return values;
    }

    public double[] toDoubles() {
        require(DType.F64);
        double[] values = new double[(int) elements()];
        data().asDoubleBuffer().get(values);
        return values;
    }

    public int[] toInts() {
        require(DType.I32);
        int[] values = new int[(int) elements()];
        data().asIntBuffer().get(values);
        return values;
    }

    public long[] toLongs() {
        require(DType.I64);
        long[] values = new long[(int) elements()];
        data().asLongBuffer().get(values);
        return values;
    }

    private void require(DType expected) {
        if (dtype != expected) {
            throw new IllegalStateException("this tensor holds " + dtype + " elements, not " + expected);
        }
    }

    /** Same type, shape and bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && dtype == t.dtype && Arrays.equals(shape, t.shape) && data.equals(t.data);
    }

    @Override
    public int hashCode() {
        return (dtype.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + data.hashCode();
    }

    /** Type and shape, as in "F32 [3, 3, 8]". */
    @Override
    public String toString() {
        return dtype + " " + Arrays.toString(shape);
    }
}
