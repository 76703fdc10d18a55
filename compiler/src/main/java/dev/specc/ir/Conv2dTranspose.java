package dev.specc.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * A transposed convolution (PyTorch ConvTranspose2d, Keras Conv2DTranspose), NHWC. Each input
 * pixel scatters a kernel into a {@code stride}-spaced output; PyTorch's {@code padding} crops the
 * result on each side and {@code output_padding} adds rows and columns at the end. The kernel is
 * [kh, kw, filters / groups, in channels] (Keras' layout with PyTorch's groups). The
 * {@code bilinear} initializer fills each channel's own filter with the bilinear interpolation
 * kernel of fyu/drn's {@code fill_up_weights}, so that the layer upsamples each channel by itself.
 */
public record Conv2dTranspose(int filters, int kh, int kw, int sh, int sw, Padding padding, int outputPaddingH,
                              int outputPaddingW, int groups, boolean bias, WeightSpec.Initializer initializer,
                              Activation.Function activation) implements LayerSpec {

    @Override
    public String kind() {
        return "conv2d_transpose";
    }

    @Override
    public TensorShape outputShape(List<TensorShape> inputs) {
        TensorShape in = LayerSpec.requireImage(kind(), inputs.get(0));
        if (in.channels() % groups != 0 || filters % groups != 0) {
            throw new ShapeException(kind() + ": groups " + groups + " must divide the input channels (" + in.channels()
                    + ") and the filters (" + filters + ")");
        }
        if (outputPaddingH >= sh || outputPaddingW >= sw) {
            throw new ShapeException(kind() + ": output_padding must be smaller than the strides, got "
                    + outputPaddingH + "x" + outputPaddingW + " with strides " + sh + "x" + sw);
        }
        if (padding.mode() == Padding.Mode.SAME && (kh < sh || kw < sw)) {
            throw new ShapeException(kind() + ": padding same needs a kernel at least as large as the strides, got kernel "
                    + kh + "x" + kw + " and strides " + sh + "x" + sw);
        }
        if (initializer == WeightSpec.Initializer.BILINEAR && filters != in.channels()) {
            throw new ShapeException(kind() + ": the bilinear initializer upsamples each channel by itself, so filters ("
                    + filters + ") must equal the input channels (" + in.channels() + ")");
        }
        int h = crop(in.height(), kh, sh, padding.top(), padding.bottom(), outputPaddingH);
        int w = crop(in.width(), kw, sw, padding.left(), padding.right(), outputPaddingW);
        LayerSpec.requireSpatial(kind(), h, w, in, "kernel " + kh + "x" + kw + ", strides " + sh + "x" + sw
                + ", padding " + padding);
        return TensorShape.of(h, w, filters);
    }

    /** Rows the full scatter has along one axis: (in - 1) * stride + kernel + output padding. */
    public static int fullLength(int in, int kernel, int stride, int outputPadding) {
        return (in - 1) * stride + kernel + outputPadding;
    }

    /** {before, after}: what is cropped off the full scatter along one axis. */
    public int[] cropOf(int in, int kernel, int stride, int before, int after) {
        return switch (padding.mode()) {
            case VALID -> new int[] {0, 0};
            case SAME -> new int[] {(kernel - stride) / 2, kernel - stride - (kernel - stride) / 2};
            case EXPLICIT -> new int[] {before, after};
        };
    }

    private int crop(int in, int kernel, int stride, int before, int after, int outputPadding) {
        int[] c = cropOf(in, kernel, stride, before, after);
        return fullLength(in, kernel, stride, outputPadding) - c[0] - c[1];
    }

    @Override
    public List<WeightSpec> weights(List<TensorShape> inputs) {
        List<WeightSpec> weights = new ArrayList<>();
        weights.add(new WeightSpec("kernel", new long[] {kh, kw, filters / groups, inputs.get(0).channels()}, true,
                initializer));
        if (bias) weights.add(new WeightSpec("bias", new long[] {filters}, true, WeightSpec.Initializer.ZEROS));
        return weights;
    }

    /** Every input pixel of every input channel meets kh * kw * filters / groups weights. */
    @Override
    public long macs(List<TensorShape> inputs, TensorShape output) {
        TensorShape in = inputs.get(0);
        return (long) in.height() * in.width() * in.channels() * (filters / groups) * kh * kw;
    }

    /**
     * fyu/drn's fill_up_weights along one axis: 1 - |i / f - c| with f = ceil(k / 2) and
     * c = (2f - 1 - f mod 2) / (2f); a 2-D filter is the product of the two axes'.
     */
    public static double[] bilinearTaps(int kernel) {
        int f = (kernel + 1) / 2;
        double c = (2.0 * f - 1 - f % 2) / (2.0 * f);
        double[] taps = new double[kernel];
        for (int i = 0; i < kernel; i++) taps[i] = 1 - Math.abs((double) i / f - c);
        return taps;
    }
}
