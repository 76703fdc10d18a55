package dev.specc.resolve;

import dev.specc.diag.Diagnostics;
import dev.specc.diag.SourcePos;
import dev.specc.ir.Activation;
import dev.specc.ir.Add;
import dev.specc.ir.BatchNorm;
import dev.specc.ir.Concat;
import dev.specc.ir.Conv2d;
import dev.specc.ir.Conv2dTranspose;
import dev.specc.ir.Dense;
import dev.specc.ir.Dropout;
import dev.specc.ir.Flatten;
import dev.specc.ir.GlobalPool;
import dev.specc.ir.LayerSpec;
import dev.specc.ir.Lrn;
import dev.specc.ir.Padding;
import dev.specc.ir.Pool2d;
import dev.specc.ir.Resize;
import dev.specc.ir.WeightSpec;
import dev.specc.ir.ZeroPad;
import dev.specc.load.SMap;
import dev.specc.load.SScalar;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every layer kind a spec may name, and how its arguments become a {@link LayerSpec}. Defaults
 * follow Keras. This table is the source of truth: the JSON Schema's definition of each kind must
 * declare the arguments {@link #arguments} reads from it (a test holds them equal).
 */
public final class LayerKinds {
    private LayerKinds() {
    }

    private static final Map<String, Function<LayerArgs, LayerSpec>> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("conv2d", LayerKinds::conv2d);
        KINDS.put("batch_norm", a -> new BatchNorm(
                a.number("epsilon", 1e-3, 0, Double.MAX_VALUE, true),
                a.number("momentum", 0.99, 0, 1, true),
                a.bool("center", true),
                a.bool("scale", true)));
        KINDS.put("activation", a -> {
            String function = a.choice("function", null, Activation.Function.spellings());
            return activation(a, Activation.Function.valueOf(function == null ? "LINEAR" : function.toUpperCase()));
        });
        for (Activation.Function f : Activation.Function.values()) {
            if (f != Activation.Function.LINEAR) KINDS.put(f.spelling(), a -> activation(a, f));
        }
        KINDS.put("max_pool", a -> pool(a, Pool2d.Mode.MAX));
        KINDS.put("avg_pool", a -> pool(a, Pool2d.Mode.AVG));
        KINDS.put("zero_pad", a -> {
            int[] p = a.amounts("padding", new int[] {1, 1, 1, 1});
            return new ZeroPad(p[0], p[1], p[2], p[3]);
        });
        KINDS.put("global_avg_pool", a -> new GlobalPool(Pool2d.Mode.AVG, a.bool("keepdims", false)));
        KINDS.put("global_max_pool", a -> new GlobalPool(Pool2d.Mode.MAX, a.bool("keepdims", false)));
        KINDS.put("flatten", a -> new Flatten());
        KINDS.put("dense", a -> new Dense(a.positiveInt("units", null), a.bool("bias", true), fusedActivation(a)));
        KINDS.put("dropout", a -> new Dropout(a.number("rate", null, 0, 1, false)));
        KINDS.put("add", a -> new Add());
        KINDS.put("concat", a -> new Concat(a.intAtLeast("axis", -1, -4)));
        KINDS.put("conv2d_transpose", LayerKinds::conv2dTranspose);
        KINDS.put("resize", LayerKinds::resize);
        KINDS.put("lrn", a -> new Lrn(
                a.intAtLeast("depth_radius", 5, 0),
                a.number("bias", 1.0, 0, Double.MAX_VALUE, true),
                a.number("alpha", 1.0, 0, Double.MAX_VALUE, true),
                a.number("beta", 0.5, 0, Double.MAX_VALUE, true)));
    }

    public static List<String> names() {
        return List.copyOf(KINDS.keySet());
    }

    static Map<String, Function<LayerArgs, LayerSpec>> table() {
        return Collections.unmodifiableMap(KINDS);
    }

    /**
     * The arguments a kind takes, found by running its parser: on an item without arguments,
     * then once per value of each choice, since a choice may bring an argument of its own
     * ({@code function: leaky_relu} brings {@code alpha}).
     */
    public static Map<String, Argument> arguments(String kind) {
        Function<LayerArgs, LayerSpec> parser = KINDS.get(kind);
        if (parser == null) throw new IllegalArgumentException("unknown layer kind " + kind);
        Map<String, Argument> found = new LinkedHashMap<>(read(parser, kind, null, null));
        for (Argument choice : List.copyOf(found.values())) {
            for (String value : choice.choices()) {
                read(parser, kind, choice.key(), value).forEach(found::putIfAbsent);
            }
        }
        return found;
    }

    private static Map<String, Argument> read(Function<LayerArgs, LayerSpec> parser, String kind, String key, String value) {
        SourcePos nowhere = SourcePos.ofFile(kind);
        List<SMap.Entry> entries = key == null ? List.of()
                : List.of(new SMap.Entry(key, nowhere, new SScalar(value, true, nowhere)));
        Diagnostics ignored = new Diagnostics();
        LayerArgs args = new LayerArgs(new SMap(entries, nowhere), kind, new Values(ignored), Map.of(), ignored);
        parser.apply(args);
        return args.arguments();
    }

    private static LayerSpec conv2d(LayerArgs a) {
        int filters = a.positiveInt("filters", null);
        int[] kernel = a.pair("kernel", null, 1);
        int[] strides = a.pair("strides", new int[] {1, 1}, 1);
        Padding padding = a.padding("padding", Padding.VALID, true);
        int[] dilation = a.pair("dilation", new int[] {1, 1}, 1);
        boolean bias = a.bool("bias", true);
        return new Conv2d(filters, kernel[0], kernel[1], strides[0], strides[1], padding, dilation[0], dilation[1], bias,
                fusedActivation(a));
    }

    private static LayerSpec conv2dTranspose(LayerArgs a) {
        int filters = a.positiveInt("filters", null);
        int[] kernel = a.pair("kernel", null, 1);
        int[] strides = a.pair("strides", new int[] {1, 1}, 1);
        Padding padding = a.padding("padding", Padding.VALID, true);
        int[] outputPadding = a.pair("output_padding", new int[] {0, 0}, 0);
        int groups = a.positiveInt("groups", 1);
        boolean bias = a.bool("bias", true);
        String initializer = a.choice("initializer", "glorot_uniform", List.of("glorot_uniform", "bilinear"));
        return new Conv2dTranspose(filters, kernel[0], kernel[1], strides[0], strides[1], padding, outputPadding[0],
                outputPadding[1], groups, bias, WeightSpec.Initializer.valueOf(initializer.toUpperCase()), fusedActivation(a));
    }

    private static LayerSpec resize(LayerArgs a) {
        Resize.Method method = Resize.Method.valueOf(a.choice("method", "bilinear", List.of("bilinear", "nearest")).toUpperCase());
        int[] factor = a.pair("factor", new int[] {2, 2}, 1);
        int[] size = a.pair("size", new int[] {0, 0}, 1);
        boolean alignCorners = a.bool("align_corners", false);
        if (a.has("factor") && a.has("size")) a.conflict("size", "give either factor or size, not both");
        if (alignCorners && method == Resize.Method.NEAREST) {
            a.conflict("align_corners", "align_corners applies to bilinear resizing only (as in PyTorch)");
        }
        return a.has("size") ? Resize.toSize(method, size[0], size[1], alignCorners)
                : Resize.byFactor(method, factor[0], factor[1], alignCorners);
    }

    private static LayerSpec pool(LayerArgs a, Pool2d.Mode mode) {
        int[] size = a.pair("pool", new int[] {2, 2}, 1);
        int[] strides = a.pair("strides", size, 1);
        Padding padding = a.padding("padding", Padding.VALID, true);
        return new Pool2d(mode, size[0], size[1], strides[0], strides[1], padding);
    }

    private static Activation activation(LayerArgs a, Activation.Function f) {
        double alpha = f == Activation.Function.LEAKY_RELU ? a.number("alpha", Activation.DEFAULT_LEAKY_ALPHA, 0, Double.MAX_VALUE, true) : 0;
        return new Activation(f, alpha);
    }

    private static Activation.Function fusedActivation(LayerArgs a) {
        String name = a.choice("activation", "linear", Activation.Function.spellings());
        return Activation.Function.valueOf(name.toUpperCase());
    }
}
