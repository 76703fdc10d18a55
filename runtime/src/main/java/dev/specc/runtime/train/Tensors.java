package dev.specc.runtime.train;

import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

public final class Tensors {
    private Tensors() {
    }

    public static float[] floats(TFloat32 t) {
        float[] values = new float[(int) t.size()];
        t.copyTo(DataBuffers.of(values, false, false));
        return values;
    }
}
