package dev.specc.runtime.io.pytorch;

import java.util.Arrays;
import java.util.Optional;

/** The storage classes of torch.save's persistent ids (torch.FloatStorage ...): element type and size. */
enum StorageType {
    FLOAT("torch.FloatStorage", "float32", 4, true),
    HALF("torch.HalfStorage", "float16", 2, true),
    BFLOAT16("torch.BFloat16Storage", "bfloat16", 2, true),
    DOUBLE("torch.DoubleStorage", "float64", 8, true),
    LONG("torch.LongStorage", "int64", 8, false),
    INT("torch.IntStorage", "int32", 4, false),
    SHORT("torch.ShortStorage", "int16", 2, false),
    CHAR("torch.CharStorage", "int8", 1, false),
    BYTE("torch.ByteStorage", "uint8", 1, false),
    BOOL("torch.BoolStorage", "bool", 1, false);

    private final String global;
    private final String dtype;
    private final int bytes;
    private final boolean floating;

    StorageType(String global, String dtype, int bytes, boolean floating) {
        this.global = global;
        this.dtype = dtype;
        this.bytes = bytes;
        this.floating = floating;
    }

    /** PyTorch's name of the element type (torch.float16 is "float16"). */
    String dtype() {
        return dtype;
    }

    int bytes() {
        return bytes;
    }

    boolean floating() {
        return floating;
    }

    static Optional<StorageType> ofGlobal(String name) {
        return Arrays.stream(values()).filter(t -> t.global.equals(name)).findFirst();
    }

    /** The element at a byte position as a float (floating types). */
    float floatAt(java.nio.ByteBuffer b, int at) {
        return switch (this) {
            case FLOAT -> b.getFloat(at);
            case DOUBLE -> (float) b.getDouble(at);
            case HALF -> halfToFloat(b.getShort(at));
            case BFLOAT16 -> Float.intBitsToFloat((b.getShort(at) & 0xffff) << 16);
            default -> throw new IllegalStateException(this + " is not a floating type");
        };
    }

    /** IEEE 754 binary16 to float32, exactly (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int sign = (half & 0x8000) << 16;
        int exponent = (half >>> 10) & 0x1f;
        int mantissa = half & 0x3ff;
        if (exponent == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;  // subnormal (or zero)
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** The element at a byte position as a long (integer and bool types). */
    long longAt(java.nio.ByteBuffer b, int at) {
        return switch (this) {
            case LONG -> b.getLong(at);
            case INT -> b.getInt(at);
            case SHORT -> b.getShort(at);
            case CHAR -> b.get(at);
            case BYTE, BOOL -> b.get(at) & 0xff;
            default -> throw new IllegalStateException(this + " is not an integer type");
        };
    }
}
