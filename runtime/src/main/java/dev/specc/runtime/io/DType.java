package dev.specc.runtime.io;

import java.util.Arrays;
import java.util.Optional;

/**
 * The element types specc reads and writes in safetensors files, under their safetensors names.
 *
 * <p>Declared in the order of the reference implementation's {@code Dtype} enum (increasing
 * alignment), which orders tensors in a written file: descending by this order, then by name.
 */
public enum DType {
    I32(4),
    F32(4),
    F64(8),
    I64(8);

    /** Types of the safetensors format that specc recognises but does not read. */
    private static final java.util.Set<String> OTHER_SAFETENSORS_TYPES = java.util.Set.of(
            "BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2",
            "I16", "U16", "F16", "BF16", "U32", "U64", "C64");

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** The type's common name: float32, float64, int32, int64. */
    public String spelling() {
        return switch (this) {
            case I32 -> "int32";
            case F32 -> "float32";
            case F64 -> "float64";
            case I64 -> "int64";
        };
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    public static Optional<DType> named(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
    }

    /** Whether the name is a safetensors type at all, read by specc or not. */
    static boolean isSafetensorsType(String name) {
        return named(name).isPresent() || OTHER_SAFETENSORS_TYPES.contains(name);
    }

    static String supportedList() {
        return String.join(", ", Arrays.stream(values()).map(Enum::name).toList());
    }
}
