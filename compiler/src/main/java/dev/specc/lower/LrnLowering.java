package dev.specc.lower;

import dev.specc.ir.Lrn;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.nn.LocalResponseNormalization;
import org.tensorflow.types.TFloat32;

/** TensorFlow's LRN across channels. */
public final class LrnLowering implements LayerLowering<Lrn> {

    @Override
    public Operand<TFloat32> lower(Lrn lrn, LoweringContext ctx, List<Operand<TFloat32>> inputs) {
        return ctx.tf().nn.localResponseNormalization(inputs.get(0),
                LocalResponseNormalization.depthRadius((long) lrn.depthRadius()),
                LocalResponseNormalization.bias((float) lrn.bias()),
                LocalResponseNormalization.alpha((float) lrn.alpha()),
                LocalResponseNormalization.beta((float) lrn.beta()));
    }
}
