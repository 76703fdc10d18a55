package dev.specc.config;

/** How points outside an image are filled by a transform, as in Keras (SciPy's modes). */
public enum FillMode {
    /** Zero. */
    CONSTANT,
    /** The nearest edge pixel: aaaa|abcd|dddd. */
    NEAREST,
    /** Mirrored at the edge: dcba|abcd|dcba. */
    REFLECT,
    /** Repeated: abcd|abcd|abcd. */
    WRAP
}
