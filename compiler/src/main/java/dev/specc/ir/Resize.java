package dev.specc.ir;

import java.util.List;

/**
 * Resizes a feature map by an integer factor or to a fixed size, bilinear or nearest, as PyTorch's
 * {@code F.interpolate}: {@code align_corners} false (its default, TensorFlow's half-pixel centres
 * for bilinear; the legacy floor rule for nearest) or true (nn.UpsamplingBilinear2d).
 */
public record Resize(Method method, int factorH, int factorW, int height, int width, boolean alignCorners)
        implements LayerSpec {

    public enum Method { BILINEAR, NEAREST }

    /** A resize by factors. */
    public static Resize byFactor(Method method, int factorH, int factorW, boolean alignCorners) {
        return new Resize(method, factorH, factorW, 0, 0, alignCorners);
    }

    /** A resize to a size. */
    public static Resize toSize(Method method, int height, int width, boolean alignCorners) {
        return new Resize(method, 0, 0, height, width, alignCorners);
    }

    @Override
    public String kind() {
        return "resize";
    }

    @Override
    public TensorShape outputShape(List<TensorShape> inputs) {
        TensorShape in = LayerSpec.requireImage(kind(), inputs.get(0));
        return height > 0 ? TensorShape.of(height, width, in.channels())
                : TensorShape.of(in.height() * factorH, in.width() * factorW, in.channels());
    }
}
