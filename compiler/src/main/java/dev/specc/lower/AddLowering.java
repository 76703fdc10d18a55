package dev.specc.lower;

import dev.specc.ir.Add;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** AddN over all inputs. */
public final class AddLowering implements LayerLowering<Add> {

    @Override
    public Operand<TFloat32> lower(Add layer, LoweringContext ctx, List<Operand<TFloat32>> inputs) {
        return ctx.tf().math.addN(inputs);
    }
}
