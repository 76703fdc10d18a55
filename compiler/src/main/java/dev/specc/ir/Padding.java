package dev.specc.ir;

/** Spatial padding of a convolution or pooling window: Keras' "same" and "valid", or explicit amounts. */
public record Padding(Mode mode, int top, int bottom, int left, int right) {

    public enum Mode { SAME, VALID, EXPLICIT }

    public static final Padding SAME = new Padding(Mode.SAME, 0, 0, 0, 0);
    public static final Padding VALID = new Padding(Mode.VALID, 0, 0, 0, 0);

    public static Padding explicit(int top, int bottom, int left, int right) {
        return new Padding(Mode.EXPLICIT, top, bottom, left, right);
    }

    /**
     * Output length along one axis for a window of {@code kernel} taps spread {@code dilation} apart.
     * Follows TensorFlow: SAME gives ceil(in / stride).
     */
    public static int outputLength(Mode mode, int in, int padBefore, int padAfter, int kernel, int stride, int dilation) {
        int effective = (kernel - 1) * dilation + 1;
        return switch (mode) {
            case SAME -> (in + stride - 1) / stride;
            case VALID -> in < effective ? 0 : (in - effective) / stride + 1;
            case EXPLICIT -> in + padBefore + padAfter < effective ? 0 : (in + padBefore + padAfter - effective) / stride + 1;
        };
    }

    /** [h, w] output of a window over a [h, w, ...] input. */
    public int[] output(TensorShape in, int kh, int kw, int sh, int sw, int dh, int dw) {
        return new int[] {
                outputLength(mode, in.height(), top, bottom, kh, sh, dh),
                outputLength(mode, in.width(), left, right, kw, sw, dw)};
    }

    @Override
    public String toString() {
        return switch (mode) {
            case SAME -> "same";
            case VALID -> "valid";
            case EXPLICIT -> "[[" + top + ", " + bottom + "], [" + left + ", " + right + "]]";
        };
    }
}
