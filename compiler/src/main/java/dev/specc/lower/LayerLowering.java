package dev.specc.lower;

import dev.specc.ir.LayerSpec;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Builds the ops of one layer kind for one forward path. Inputs and output carry the batch dimension. */
public interface LayerLowering<L extends LayerSpec> {

    Operand<TFloat32> lower(L layer, LoweringContext ctx, List<Operand<TFloat32>> inputs);
}
