package dev.specc.load;

import dev.specc.diag.SourcePos;

/**
 * A YAML node with the place it was written: a mapping, a sequence or a scalar. Specs are read
 * into this tree (never into arbitrary Java objects) so every later error can point at its source.
 */
public sealed interface SNode permits SMap, SList, SScalar {
    SourcePos pos();

    /** What a user calls this node in a message: "a mapping", "a list", "the string 'x'". */
    String describe();
}
