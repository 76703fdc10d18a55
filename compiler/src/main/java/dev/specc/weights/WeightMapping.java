package dev.specc.weights;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the tensor names of a weight file become specc's variable names. Rules are tried in order,
 * the first that matches a name decides: {@code drop} patterns (names that are not weights),
 * {@code tensors} rules (a whole name to a whole specc name), then {@code layers} rules (a module,
 * the name without its last dot-part, to a specc layer; the last part, the parameter, is translated
 * by the layer's kind in the file's {@link Layout}). A mapping that extends a built-in one tries
 * its own rules first, then the built-in's.
 *
 * @param name what to call the mapping in messages: a built-in's name or the file it was read from
 */
public record WeightMapping(String name, Layout layout, List<NamePattern> drop, List<Rule> tensors, List<Rule> layers) {

    /** How a file stores its weights; decides parameter names and the transposition of kernels. */
    public enum Layout {
        /**
         * PyTorch's modules: Conv2d weight [out, in, h, w], Linear weight [out, in], BatchNorm2d
         * weight/bias/running_mean/running_var (num_batches_tracked is not a weight), flattening in
         * channel-first order.
         */
        PYTORCH,
        /** specc's own (Keras'): kernel [h, w, in, out] and [in, out], gamma/beta/moving_mean/moving_variance. */
        KERAS;

        public String spelling() {
            return name().toLowerCase();
        }
    }

    public record Rule(NamePattern from, NameTemplate to) {
        Optional<String> apply(String name) {
            return from.match(name).map(to::render);
        }
    }

    /** What a mapping does with one name of the file. */
    public sealed interface Target {
        /** Not a weight (a drop pattern matched). */
        record Dropped() implements Target {
        }

        /** No rule matched: the name stays as it is in the file. */
        record Unmatched() implements Target {
        }

        /** A tensors rule gave the whole specc name. */
        record Whole(String name) implements Target {
        }

        /** A layers rule gave the layer; the parameter's specc name depends on that layer's kind. */
        record InLayer(String layer, String parameter) implements Target {
        }
    }

    public WeightMapping {
        drop = List.copyOf(drop);
        tensors = List.copyOf(tensors);
        layers = List.copyOf(layers);
    }

    /** This mapping's rules first, then {@code base}'s; this mapping's name and layout. */
    public WeightMapping then(WeightMapping base) {
        return new WeightMapping(name, layout, concat(drop, base.drop), concat(tensors, base.tensors), concat(layers, base.layers));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    public Target map(String fileName) {
        for (NamePattern p : drop) {
            if (p.match(fileName).isPresent()) return new Target.Dropped();
        }
        for (Rule r : tensors) {
            Optional<String> to = r.apply(fileName);
            if (to.isPresent() && to.get() != null) return new Target.Whole(to.get());
        }
        int dot = fileName.lastIndexOf('.');
        if (dot > 0) {
            String module = fileName.substring(0, dot);
            for (Rule r : layers) {
                Optional<String> to = r.apply(module);
                if (to.isPresent() && to.get() != null) return new Target.InLayer(to.get(), fileName.substring(dot + 1));
            }
        }
        return new Target.Unmatched();
    }
}
