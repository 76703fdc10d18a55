package dev.specc.lower;

/**
 * Choices that do not come from the spec. {@code seed} fixes every random op of the graph (weight
 * initialisers, dropout masks): two lowerings of one model with the same seed start from identical
 * weights.
 */
public record LoweringOptions(long seed) {

    public static LoweringOptions defaults() {
        return new LoweringOptions(42);
    }
}
