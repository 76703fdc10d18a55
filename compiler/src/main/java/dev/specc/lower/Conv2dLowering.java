package dev.specc.lower;

import dev.specc.ir.Conv2d;
import dev.specc.ir.Padding;
import dev.specc.ir.TensorShape;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Conv2D, then bias and the fused activation. A dilated convolution is lowered as
 * SpaceToBatchND -> Conv2D(VALID) -> BatchToSpaceND (as Python's atrous_conv2d): TF Java's gradient
 * of Conv2D ignores the dilations attribute and is silently wrong.
 */
public final class Conv2dLowering implements LayerLowering<Conv2d> {

    @Override
    public Operand<TFloat32> lower(Conv2d conv, LoweringContext ctx, List<Operand<TFloat32>> inputs) {
        Ops tf = ctx.tf();
        Operand<TFloat32> x = inputs.get(0);
        Operand<TFloat32> kernel = ctx.weight("kernel");
        Operand<TFloat32> y = conv.dh() > 1 || conv.dw() > 1
                ? dilated(tf, conv, ctx.inputShape(0), x, kernel)
                : undilated(tf, conv, x, kernel);
        if (conv.bias()) {
            y = tf.nn.biasAdd(y, ctx.weight("bias"));
        }
        return ActivationLowering.applyFused(tf, conv.activation(), y);
    }

    private static Operand<TFloat32> undilated(Ops tf, Conv2d conv, Operand<TFloat32> x, Operand<TFloat32> kernel) {
        List<Long> strides = List.of(1L, (long) conv.sh(), (long) conv.sw(), 1L);
        Padding p = conv.padding();
        return switch (p.mode()) {
            case SAME -> tf.nn.conv2d(x, kernel, strides, "SAME");
            case VALID -> tf.nn.conv2d(x, kernel, strides, "VALID");
            case EXPLICIT -> tf.nn.conv2d(ZeroPadLowering.pad(tf, x, p.top(), p.bottom(), p.left(), p.right(), 0f),
                    kernel, strides, "VALID");
        };
    }

    /**
     * Stride 1 (shape inference rejects strides with dilation). The zero padding that SAME or
     * explicit padding asks for goes into SpaceToBatchND's paddings, topped up so that each spatial
     * size divides by the dilation; BatchToSpaceND crops that top-up off again.
     */
    private static Operand<TFloat32> dilated(Ops tf, Conv2d conv, TensorShape in, Operand<TFloat32> x,
                                             Operand<TFloat32> kernel) {
        Padding p = conv.padding();
        int[] h = pads(p.mode(), in.height(), conv.kh(), conv.dh(), p.top(), p.bottom());
        int[] w = pads(p.mode(), in.width(), conv.kw(), conv.dw(), p.left(), p.right());
        Operand<TFloat32> batched = tf.spaceToBatchNd(x, tf.constant(new int[] {conv.dh(), conv.dw()}),
                tf.constant(new int[][] {{h[0], h[1] + h[2]}, {w[0], w[1] + w[2]}}));
        Operand<TFloat32> convolved = tf.nn.conv2d(batched, kernel, List.of(1L, 1L, 1L, 1L), "VALID");
        return tf.batchToSpaceNd(convolved, tf.constant(new int[] {conv.dh(), conv.dw()}),
                tf.constant(new int[][] {{0, h[2]}, {0, w[2]}}));
    }

    /** {before, after, top-up to a multiple of the dilation} along one axis. */
    private static int[] pads(Padding.Mode mode, int in, int kernel, int dilation, int explicitBefore,
                              int explicitAfter) {
        int before;
        int after;
        switch (mode) {
            case SAME -> {
                int total = (kernel - 1) * dilation;
                before = total / 2;
                after = total - before;
            }
            case VALID -> {
                before = 0;
                after = 0;
            }
            default -> {
                before = explicitBefore;
                after = explicitAfter;
            }
        }
        int padded = in + before + after;
        int topUp = (dilation - padded % dilation) % dilation;
        return new int[] {before, after, topUp};
    }
}
