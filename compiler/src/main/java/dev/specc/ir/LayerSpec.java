package dev.specc.ir;

import java.util.List;

/**
 * What one layer computes, with everything needed to check it statically: its output shape, the
 * variables it owns and its multiply-accumulates. Nothing here touches TensorFlow.
 */
public sealed interface LayerSpec
        permits Conv2d, BatchNorm, Activation, Pool2d, ZeroPad, GlobalPool, Flatten, Dense, Dropout, Add, Concat, Lrn,
                Conv2dTranspose, Resize {

    /** The kind as written in a spec ("conv2d", "max_pool", ...). */
    String kind();

    /** Output shape for these inputs; throws {@link ShapeException} with a message for the user. */
    TensorShape outputShape(List<TensorShape> inputs);

    default List<WeightSpec> weights(List<TensorShape> inputs) {
        return List.of();
    }

    default long macs(List<TensorShape> inputs, TensorShape output) {
        return 0;
    }

    /** How many inputs the layer takes: 1, or at least 2 for merges. */
    default boolean isMerge() {
        return false;
    }

    /** The spatial window, for receptive fields and output strides; null when the layer has none. */
    default Window window() {
        return null;
    }

    record Window(int kh, int kw, int sh, int sw, int dh, int dw) {
        public static final Window POINTWISE = new Window(1, 1, 1, 1, 1, 1);
    }

    static TensorShape requireImage(String kind, TensorShape in) {
        if (!in.isImage()) {
            throw new ShapeException(kind + " expects a feature map (height x width x channels), got a tensor of shape " + in);
        }
        return in;
    }

    static void requireSpatial(String kind, int h, int w, TensorShape in, String why) {
        if (h <= 0 || w <= 0) {
            throw new ShapeException(kind + ": spatial size drops to " + Math.max(h, 0) + "x" + Math.max(w, 0)
                    + " (input " + in + ", " + why + ")");
        }
    }
}
