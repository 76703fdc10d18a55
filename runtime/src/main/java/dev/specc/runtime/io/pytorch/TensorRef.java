package dev.specc.runtime.io.pytorch;

import dev.specc.runtime.io.Shapes;
import dev.specc.runtime.io.pytorch.RestrictedUnpickler.PickleException;
import dev.specc.runtime.io.pytorch.RestrictedUnpickler.Tuple;
import java.util.Arrays;

/**
 * A tensor as torch._utils._rebuild_tensor_v2 describes it: a view of a storage, with the offset
 * and strides in elements, so that non-contiguous views (a transposed or sliced tensor) read right.
 */
record TensorRef(StorageRef storage, long offset, long[] shape, long[] strides) {

    /** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
    static TensorRef rebuild(Tuple args) throws PickleException {
        if (args.size() < 4 || !(args.get(0) instanceof StorageRef storage) || !(args.get(1) instanceof Long offset)
                || !(args.get(2) instanceof Tuple size) || !(args.get(3) instanceof Tuple stride)) {
            throw new PickleException("torch._utils._rebuild_tensor_v2 called with other arguments than a storage, "
                    + "an offset, a size and strides");
        }
        long[] shape = longs(size);
        long[] strides = longs(stride);
        if (shape.length != strides.length) {
            throw new PickleException("a tensor of shape " + Arrays.toString(shape) + " with strides " + Arrays.toString(strides));
        }
        TensorRef ref = new TensorRef(storage, offset, shape, strides);
        ref.checkInside();
        return ref;
    }

    private static long[] longs(Tuple t) throws PickleException {
        long[] values = new long[t.size()];
        for (int i = 0; i < values.length; i++) {
            if (!(t.get(i) instanceof Long v) || v < 0) throw new PickleException("a tensor size or stride that is " + t.get(i));
            values[i] = v;
        }
        return values;
    }

    long elements() {
        return Shapes.elements(shape);
    }

    /**
     * Every element the view reads lies in its storage, and it has no more elements than the storage:
     * a state dict never broadcasts (stride 0), so a larger view is a file asking for memory it does not hold.
     */
    private void checkInside() throws PickleException {
        try {
            long elements = elements();
            if (elements > storage.elements()) {
                throw new PickleException("a tensor of shape " + Arrays.toString(shape) + " has " + elements
                        + " elements, more than its storage of " + storage.elements() + " (a state dict does not broadcast)");
            }
            if (elements == 0) return;
            long last = offset;
            for (int i = 0; i < shape.length; i++) last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, strides[i]));
            if (offset < 0 || last >= storage.elements()) {
                throw new PickleException("a tensor of shape " + Arrays.toString(shape) + " at offset " + offset
                        + " with strides " + Arrays.toString(strides) + " reads past its storage of " + storage.elements()
                        + " elements");
            }
        } catch (ArithmeticException e) {
            throw new PickleException("a tensor whose size overflows: " + Arrays.toString(shape));
        }
    }
}
