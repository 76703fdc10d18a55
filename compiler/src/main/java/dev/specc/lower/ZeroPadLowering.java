package dev.specc.lower;

import dev.specc.ir.ZeroPad;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Keras ZeroPadding2D: zeros around height and width. */
public final class ZeroPadLowering implements LayerLowering<ZeroPad> {

    @Override
    public Operand<TFloat32> lower(ZeroPad layer, LoweringContext ctx, List<Operand<TFloat32>> inputs) {
        return pad(ctx.tf(), inputs.get(0), layer.top(), layer.bottom(), layer.left(), layer.right(), 0f);
    }

    /** Pads the height and width of an NHWC tensor with {@code value}. */
    static Operand<TFloat32> pad(Ops tf, Operand<TFloat32> x, int top, int bottom, int left, int right, float value) {
        return tf.pad(x, tf.constant(new int[][] {{0, 0}, {top, bottom}, {left, right}, {0, 0}}), tf.constant(value));
    }
}
