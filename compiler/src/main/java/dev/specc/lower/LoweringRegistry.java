package dev.specc.lower;

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
import dev.specc.ir.Pool2d;
import dev.specc.ir.Resize;
import dev.specc.ir.ZeroPad;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Which {@link LayerLowering} lowers which layer record: one explicit table. */
public final class LoweringRegistry {
    private final Map<Class<? extends LayerSpec>, LayerLowering<?>> lowerings;

    private LoweringRegistry(Map<Class<? extends LayerSpec>, LayerLowering<?>> lowerings) {
        this.lowerings = lowerings;
    }

    public static LoweringRegistry standard() {
        return new LoweringRegistry(Map.ofEntries(
                entry(Conv2d.class, new Conv2dLowering()),
                entry(BatchNorm.class, new BatchNormLowering()),
                entry(Activation.class, new ActivationLowering()),
                entry(Pool2d.class, new Pool2dLowering()),
                entry(ZeroPad.class, new ZeroPadLowering()),
                entry(GlobalPool.class, new GlobalPoolLowering()),
                entry(Flatten.class, new FlattenLowering()),
                entry(Dense.class, new DenseLowering()),
                entry(Dropout.class, new DropoutLowering()),
                entry(Add.class, new AddLowering()),
                entry(Concat.class, new ConcatLowering()),
                entry(Lrn.class, new LrnLowering()),
                entry(Conv2dTranspose.class, new Conv2dTransposeLowering()),
                entry(Resize.class, new ResizeLowering())));
    }

    /** Ties each record class to a lowering of that same class at compile time. */
    private static <L extends LayerSpec> Map.Entry<Class<? extends LayerSpec>, LayerLowering<?>> entry(
            Class<L> kind, LayerLowering<L> lowering) {
        return Map.entry(kind, lowering);
    }

    public Set<Class<? extends LayerSpec>> kinds() {
        return lowerings.keySet();
    }

    /** The lowering of a layer record class; throws, listing the known ones, when there is none. */
    public LayerLowering<?> lowering(Class<? extends LayerSpec> kind) {
        LayerLowering<?> lowering = lowerings.get(kind);
        if (lowering == null) {
            String known = lowerings.keySet().stream().map(Class::getSimpleName).sorted()
                    .collect(Collectors.joining(", "));
            throw new IllegalArgumentException("no lowering for layer class " + kind.getName() + "; known: " + known);
        }
        return lowering;
    }

    public <L extends LayerSpec> Operand<TFloat32> lower(L layer, LoweringContext ctx, List<Operand<TFloat32>> inputs) {
        @SuppressWarnings("unchecked") // entry() pairs every class with a lowering of that class
        LayerLowering<L> lowering = (LayerLowering<L>) lowering(layer.getClass());
        return lowering.lower(layer, ctx, inputs);
    }
}
