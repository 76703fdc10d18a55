package dev.specc.runtime.train;

import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

final class Tensors {
    private Tensors() {
    }

    static float[] floats(TFloat32 t) {
        float[] values = new float[(int) t.size()];
        t.copyTo(DataBuffers.of(values, false, false));
        return values;
    }
}
