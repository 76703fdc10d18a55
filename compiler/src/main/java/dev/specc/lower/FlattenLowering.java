package dev.specc.lower;

import dev.specc.ir.Flatten;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Reshape to [batch, n]; row-major NHWC order, as Keras Flatten with channels_last. */
public final class FlattenLowering implements LayerLowering<Flatten> {

    @Override
    public Operand<TFloat32> lower(Flatten layer, LoweringContext ctx, List<Operand<TFloat32>> inputs) {
        int n = Math.toIntExact(ctx.inputShape(0).elements());
        return ctx.tf().reshape(inputs.get(0), ctx.tf().constant(new int[] {-1, n}));
    }
}
