package dev.specc.runtime.io;

import dev.specc.lower.WeightVariable;
import dev.specc.weights.WeightFormat;
import dev.specc.weights.WeightMapping;
import dev.specc.weights.WeightMappings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights a run starts from (--init-from, train.init_from): a file of any format, renamed and
 * converted by a mapping, matched to the model by name and shape. Without a mapping, a safetensors
 * or Keras file is taken by its own names; a PyTorch checkpoint gets the built-in mapping under which
 * most of the model's weights find a tensor of their shape.
 */
public final class InitialWeights {
    /** What was loaded, and from what: the format and the mapping, for the line a run prints. */
    public record Plan(WeightMapper.Mapped mapped, LoadReport report, String source) {
    }

    private InitialWeights() {
    }

    /**
     * Reads, maps and matches the file.
     *
     * @param mapping null for the default of the file's format
     * @throws WeightLoadException (exit code 2) listing every missing, unexpected and mis-shaped weight
     */
    public static Plan plan(Path file, WeightMapping mapping, TargetLayers layers, List<WeightVariable> model,
                            boolean partial) throws IOException {
        WeightFiles.Contents contents = WeightFiles.read(file);
        Map<String, Tensor> tensors = new HashMap<>(contents.tensors());
        if (contents.format() == WeightFormat.SAFETENSORS) tensors.keySet().removeIf(n -> n.startsWith("optimizer/"));
        WeightMapper.Mapped mapped = mapping != null ? WeightMapper.apply(mapping, tensors, layers)
                : contents.format() == WeightFormat.PYTORCH ? bestBuiltIn(tensors, layers, model)
                : new WeightMapper.Mapped(null, tensors, Map.of(), 0);
        String source = contents.format().description()
                + (mapped.mapping() == null ? "" : ", mapping " + mapped.mapping())
                + (mapped.dropped() == 0 ? "" : ", " + mapped.dropped() + " tensors that are not weights skipped");
        LoadReport report;
        try {
            report = WeightIO.match(model, mapped.tensors(), partial).describedBy(mapped::describe);
        } catch (WeightLoadException e) {
            LoadReport described = e.report().describedBy(mapped::describe);
            String remedy = mapped.mapping() == null
                    ? "to fine-tune, load partially: missing and mismatched weights then keep their initial values"
                    : "the names come from mapping " + mapped.mapping() + "; `specc weights SPEC` lists the model's "
                            + "weights and `specc weights --file FILE` the file's tensors, to write or correct a mapping "
                            + "(--mapping FILE, or train.init_from.mapping)";
            throw new WeightLoadException(source + ": " + (e.report().partial() ? e.getMessage() : described.refusal(remedy)),
                    described);
        }
        return new Plan(mapped, report, source);
    }

    /** The built-in mapping that gives the most model weights a tensor of their name and shape. */
    private static WeightMapper.Mapped bestBuiltIn(Map<String, Tensor> tensors, TargetLayers layers, List<WeightVariable> model) {
        WeightMapper.Mapped best = null;
        long bestFit = -1;
        for (WeightMapping candidate : WeightMappings.builtIns()) {
            WeightMapper.Mapped mapped = WeightMapper.apply(candidate, tensors, layers);
            long fit = model.stream().filter(v -> fits(v, mapped.tensors().get(v.name()))).count();
            if (fit > bestFit) {
                best = mapped;
                bestFit = fit;
            }
        }
        return best;
    }

    private static boolean fits(WeightVariable v, Tensor value) {
        return value != null && value.dtype() == DType.F32 && Arrays.equals(value.shape(), v.spec().shape());
    }
}
