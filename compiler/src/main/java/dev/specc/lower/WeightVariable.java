package dev.specc.lower;

import dev.specc.ir.WeightSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One model variable: its full name ({@code conv1/kernel}), what the layer declared, the VariableV2
 * and the Identity that both forward paths read it through. Gradients are taken with respect to
 * {@code read}, and feeding {@code read} overrides the variable's value for one run.
 */
public record WeightVariable(String name, WeightSpec spec, Variable<TFloat32> variable, Operand<TFloat32> read) {
}
