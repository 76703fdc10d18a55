package dev.specc.runtime.io;

import dev.specc.weights.WeightMapping;
import dev.specc.weights.WeightMapping.Layout;
import dev.specc.weights.WeightMapping.Target;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renames a file's tensors to specc's variable names by a {@link WeightMapping} and converts them
 * to specc's layouts. The conversion is decided by the file's declared layout and the kind of the
 * specc layer a tensor goes to, never by the tensor's shape: a PyTorch conv weight is always read
 * as [out, in, h, w], so a square kernel (in = out) cannot come out with its axes swapped.
 *
 * <p>PyTorch layout: conv2d {@code weight} [out, in, h, w] becomes {@code kernel} [h, w, in, out]
 * (a Linear's [out, in] goes to a 1x1 kernel); dense {@code weight} [out, in] becomes
 * {@code kernel} [in, out] (a 1x1 conv's [out, in, 1, 1] too), its rows reordered from
 * channel-first to channel-last when the dense layer reads a flattened image; batch norm
 * {@code weight/bias/running_mean/running_var} become {@code gamma/beta/moving_mean/moving_variance},
 * and {@code num_batches_tracked} is not a weight.
 */
public final class WeightMapper {
    /**
     * The file's tensors under specc's names (and those no rule renamed under their own), where each
     * came from, and how many the mapping dropped.
     */
    public record Mapped(String mapping, Map<String, Tensor> tensors, Map<String, String> origins, int dropped) {
        /** "conv1_conv/kernel (from conv1.weight)" where the name was mapped, else the name. */
        public String describe(String name) {
            String origin = origins.get(name);
            return origin == null || origin.equals(name) ? name : name + " (from " + origin + ")";
        }
    }

    private WeightMapper() {
    }

    public static Mapped apply(WeightMapping mapping, Map<String, Tensor> file, TargetLayers model) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        int dropped = 0;
        for (Map.Entry<String, Tensor> e : file.entrySet()) {
            String source = e.getKey();
            if (mapping.layout() == Layout.PYTORCH && source.endsWith(".num_batches_tracked")) {
                dropped++;
                continue;
            }
            String name = speccName(mapping, mapping.map(source), source, model);
            if (name == null) {
                dropped++;
                continue;
            }
            Tensor value = e.getValue();
            if (!name.equals(source) && mapping.layout() == Layout.PYTORCH) value = toSpeccLayout(name, value, model);
            if (tensors.containsKey(name)) {
                throw new WeightLoadException("the mapping " + mapping.name() + " gives two tensors of the file the name "
                        + name + ": " + origins.get(name) + " and " + source, null);
            }
            tensors.put(name, value);
            origins.put(name, source);
        }
        return new Mapped(mapping.name(), tensors, origins, dropped);
    }

    /** The specc name a rule gives; the file's own when none matched, null when dropped. */
    private static String speccName(WeightMapping mapping, Target target, String source, TargetLayers model) {
        if (target instanceof Target.Whole w) return w.name();
        if (target instanceof Target.InLayer l) {
            return l.layer() + "/" + parameter(mapping.layout(), model.layer(l.layer()), l.parameter());
        }
        return target instanceof Target.Dropped ? null : source;
    }

    /** specc's name of a PyTorch parameter in a layer of this kind; the parameter itself when the layer is unknown. */
    private static String parameter(Layout layout, TargetLayers.Layer layer, String parameter) {
        if (layout != Layout.PYTORCH || layer == null) return parameter;
        return switch (layer.kind()) {
            case "conv2d", "dense" -> parameter.equals("weight") ? "kernel" : parameter;
            case "batch_norm" -> switch (parameter) {
                case "weight" -> "gamma";
                case "bias" -> "beta";
                case "running_mean" -> "moving_mean";
                case "running_var" -> "moving_variance";
                default -> parameter;
            };
            default -> parameter;
        };
    }

    private static Tensor toSpeccLayout(String name, Tensor value, TargetLayers model) {
        int slash = name.lastIndexOf('/');
        TargetLayers.Layer layer = slash < 0 ? null : model.layer(name.substring(0, slash));
        if (layer == null || value.dtype() != DType.F32 || !name.endsWith("/kernel")) return value;
        long[] s = value.shape();
        long[] target = layer.weights().get("kernel");
        if (layer.kind().equals("conv2d")) {
            if (s.length == 4) return permute(value, 2, 3, 1, 0);                              // OIHW -> HWIO
            if (s.length == 2 && target != null && target[0] == 1 && target[1] == 1) {
                return reshape(permute(value, 1, 0), 1, 1, s[1], s[0]);                        // Linear -> 1x1 conv
            }
        } else if (layer.kind().equals("dense")) {
            if (s.length == 4 && s[2] == 1 && s[3] == 1) return permute(reshape(value, s[0], s[1]), 1, 0);
            if (s.length == 2) {
                int[] hwc = layer.flattened();
                return hwc != null && s[1] == (long) hwc[0] * hwc[1] * hwc[2]
                        ? channelsLast(value, hwc) : permute(value, 1, 0);
            }
        }
        return value;
    }

    /** A Linear's [out, c*h*w] weight after a channel-first flatten, as a kernel [h*w*c, out] for a channel-last one. */
    private static Tensor channelsLast(Tensor value, int[] hwc) {
        int h = hwc[0];
        int w = hwc[1];
        int c = hwc[2];
        long[] s = value.shape();
        int out = (int) s[0];
        float[] from = value.toFloats();
        float[] to = new float[from.length];
        int in = h * w * c;
        for (int o = 0; o < out; o++) {
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < h * w; p++) {
                    to[(p * c + ch) * out + o] = from[o * in + ch * h * w + p];
                }
            }
        }
        return Tensor.ofFloats(new long[] {in, out}, to);
    }

    /** The tensor with its axes in the given order (axis i of the result is axis {@code order[i]} of the input). */
    static Tensor permute(Tensor value, int... order) {
        long[] shape = value.shape();
        int rank = shape.length;
        long[] outShape = new long[rank];
        for (int i = 0; i < rank; i++) outShape[i] = shape[order[i]];
        long[] inStrides = new long[rank];
        long stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            inStrides[i] = stride;
            stride *= shape[i];
        }
        float[] from = value.toFloats();
        float[] to = new float[from.length];
        long[] index = new long[rank];
        for (int i = 0; i < to.length; i++) {
            long at = 0;
            for (int d = 0; d < rank; d++) at += index[d] * inStrides[order[d]];
            to[i] = from[(int) at];
            for (int d = rank - 1; d >= 0; d--) {
                if (++index[d] < outShape[d]) break;
                index[d] = 0;
            }
        }
        return Tensor.ofFloats(outShape, to);
    }

    private static Tensor reshape(Tensor value, long... shape) {
        if (Shapes.elements(shape) != value.elements()) {
            throw new IllegalArgumentException("cannot reshape " + value + " to " + Arrays.toString(shape));
        }
        return Tensor.ofFloats(shape, value.toFloats());
    }
}
