package dev.specc.lower;

import dev.specc.ir.Concat;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** ConcatV2 along the resolved axis, shifted by one for the batch dimension. */
public final class ConcatLowering implements LayerLowering<Concat> {

    @Override
    public Operand<TFloat32> lower(Concat concat, LoweringContext ctx, List<Operand<TFloat32>> inputs) {
        int axis = concat.resolvedAxis(ctx.inputShape(0).rank()) + 1;
        return ctx.tf().concat(inputs, ctx.tf().constant(axis));
    }
}
