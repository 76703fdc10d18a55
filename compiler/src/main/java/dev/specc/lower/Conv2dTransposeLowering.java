package dev.specc.lower;

import dev.specc.ir.Conv2dTranspose;
import dev.specc.ir.TensorShape;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Conv2DBackpropInput (the gradient of a convolution with respect to its input, which is what a
 * transposed convolution computes; TensorFlow registers its gradient) with VALID padding onto the
 * full scatter, then a Slice that crops PyTorch's padding off. TensorFlow's CPU kernels have no
 * grouped convolution, so groups are lowered as one convolution whose kernel is block-diagonal:
 * the [kh, kw, filters / groups, in] kernel is spread over [kh, kw, filters, in] with zeros
 * between groups (a depthwise upsampling of C channels computes C times the MACs it needs, which
 * for a class count of channels is small next to the network before it).
 */
public final class Conv2dTransposeLowering implements LayerLowering<Conv2dTranspose> {

    @Override
    public Operand<TFloat32> lower(Conv2dTranspose layer, LoweringContext ctx, List<Operand<TFloat32>> inputs) {
        Ops tf = ctx.tf();
        Operand<TFloat32> x = inputs.get(0);
        TensorShape in = ctx.inputShape(0);
        TensorShape out = ctx.node().output();
        Operand<TFloat32> kernel = denseKernel(tf, layer, in.channels(), ctx.weight("kernel"));
        int fullH = Conv2dTranspose.fullLength(in.height(), layer.kh(), layer.sh(), layer.outputPaddingH());
        int fullW = Conv2dTranspose.fullLength(in.width(), layer.kw(), layer.sw(), layer.outputPaddingW());
        Operand<TInt32> batch = tf.slice(tf.shape(x), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
        Operand<TInt32> fullSize = tf.concat(List.of(batch, tf.constant(new int[] {fullH, fullW, layer.filters()})),
                tf.constant(0));
        Operand<TFloat32> y = tf.nn.conv2dBackpropInput(fullSize, kernel, x,
                List.of(1L, (long) layer.sh(), (long) layer.sw(), 1L), "VALID");
        int top = layer.cropOf(in.height(), layer.kh(), layer.sh(), layer.padding().top(), layer.padding().bottom())[0];
        int left = layer.cropOf(in.width(), layer.kw(), layer.sw(), layer.padding().left(), layer.padding().right())[0];
        if (out.height() != fullH || out.width() != fullW) {
            y = tf.slice(y, tf.constant(new int[] {0, top, left, 0}),
                    tf.constant(new int[] {-1, out.height(), out.width(), -1}));
        }
        if (layer.bias()) y = tf.nn.biasAdd(y, ctx.weight("bias"));
        return ActivationLowering.applyFused(tf, layer.activation(), y);
    }

    /** The [kh, kw, filters, in] kernel of one ungrouped convolution. */
    private static Operand<TFloat32> denseKernel(Ops tf, Conv2dTranspose layer, int inChannels, Operand<TFloat32> kernel) {
        int groups = layer.groups();
        if (groups == 1) return kernel;
        int perGroupOut = layer.filters() / groups;
        int perGroupIn = inChannels / groups;
        float[][][] mask = new float[groups][perGroupOut][inChannels];
        for (int g = 0; g < groups; g++) {
            for (int o = 0; o < perGroupOut; o++) {
                for (int i = g * perGroupIn; i < (g + 1) * perGroupIn; i++) mask[g][o][i] = 1f;
            }
        }
        Operand<TFloat32> spread = tf.math.mul(
                tf.reshape(kernel, tf.constant(new int[] {layer.kh(), layer.kw(), 1, perGroupOut, inChannels})),
                tf.constant(mask));
        return tf.reshape(spread, tf.constant(new int[] {layer.kh(), layer.kw(), layer.filters(), inChannels}));
    }
}
