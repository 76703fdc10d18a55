package dev.specc.lower;

import dev.specc.ir.Resize;
import dev.specc.ir.TensorShape;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.image.ResizeNearestNeighbor;
import org.tensorflow.types.TFloat32;

/**
 * ResizeBilinear or ResizeNearestNeighbor to the node's output size. PyTorch's align_corners=False
 * is TensorFlow's half_pixel_centers for bilinear; nearest follows PyTorch's legacy rule
 * (source = floor(destination * in / out)), which is TensorFlow's without half-pixel centres.
 */
public final class ResizeLowering implements LayerLowering<Resize> {

    @Override
    public Operand<TFloat32> lower(Resize layer, LoweringContext ctx, List<Operand<TFloat32>> inputs) {
        Ops tf = ctx.tf();
        TensorShape out = ctx.node().output();
        Operand<org.tensorflow.types.TInt32> size = tf.constant(new int[] {out.height(), out.width()});
        if (layer.method() == Resize.Method.NEAREST) {
            return tf.image.resizeNearestNeighbor(inputs.get(0), size, ResizeNearestNeighbor.alignCorners(false),
                    ResizeNearestNeighbor.halfPixelCenters(false));
        }
        return tf.image.resizeBilinear(inputs.get(0), size, ResizeBilinear.alignCorners(layer.alignCorners()),
                ResizeBilinear.halfPixelCenters(!layer.alignCorners()));
    }
}
