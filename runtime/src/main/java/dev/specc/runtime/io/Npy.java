package dev.specc.runtime.io;

import dev.specc.diag.FileFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * NumPy's .npy files (format versions 1.0, 2.0 and 3.0): a magic string, a version, the length of
 * a header that is a Python dict literal ({@code {'descr': '<f4', 'fortran_order': False, 'shape':
 * (2, 3), }}), then the elements. specc reads and writes C-order arrays of little-endian float32
 * ({@code <f4}), uint8 ({@code |u1}) and int64 ({@code <i8}); anything else is refused by name.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy pads the header so that the data starts at a multiple of 64 bytes (older files: 16; both read). */
    private static final int ALIGNMENT = 64;

    /** The element types specc reads, under NumPy's {@code descr}. */
    public enum Type {
        F4("<f4", 4, "float32"), U1("|u1", 1, "uint8"), I8("<i8", 8, "int64");

        private final String descr;
        private final int bytes;
        private final String numpyName;

        Type(String descr, int bytes, String numpyName) {
            this.descr = descr;
            this.bytes = bytes;
            this.numpyName = numpyName;
        }

        public int bytes() {
            return bytes;
        }

        public String numpyName() {
            return numpyName;
        }

        static Type ofDescr(String descr) {
            // A byte has no byte order: NumPy writes '|u1', and '<u1', '>u1' and '=u1' mean the same.
            String plain = descr.length() == 3 && descr.endsWith("u1") ? "|u1" : descr;
            for (Type t : values()) {
                if (t.descr.equals(plain)) return t;
            }
            return null;
        }
    }

    /** An array: its type, its shape (empty for a scalar) and its elements in C order, little-endian. */
    public record Array(Type type, long[] shape, ByteBuffer data) {
        public Array {
            shape = shape.clone();
            data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            long expected = Math.multiplyExact(Shapes.elements(shape), type.bytes());
            if (data.remaining() != expected) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + type.numpyName()
                        + " needs " + expected + " bytes, got " + data.remaining());
            }
        }

        public static Array ofFloats(long[] shape, float[] values) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            return new Array(Type.F4, shape, b);
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public ByteBuffer data() {
            return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }

        public long elements() {
            return Shapes.elements(shape);
        }

        /** The elements as float32: uint8 and int64 values converted. */
        public float[] toFloats() {
            int n = Math.toIntExact(elements());
            float[] out = new float[n];
            ByteBuffer b = data();
            for (int i = 0; i < n; i++) {
                out[i] = switch (type) {
                    case F4 -> b.getFloat(i * 4);
                    case U1 -> b.get(i) & 0xff;
                    case I8 -> b.getLong(i * 8);
                };
            }
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Array a && a.type == type && Arrays.equals(a.shape, shape) && a.data().equals(data());
        }

        @Override
        public int hashCode() {
            return type.hashCode() * 31 + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return type.numpyName() + Arrays.toString(shape);
        }
    }

    /** A file that is not a .npy specc can read: says what was found and what is read. */
    public static final class FormatException extends FileFormatException {
        private static final long serialVersionUID = 1L;

        public FormatException(Path file, String message) {
            super(file, file + ": " + message);
        }
    }

    private Npy() {
    }

    public static Array read(Path file) throws IOException {
        return parse(file, Files.readAllBytes(file));
    }

    static Array parse(Path file, byte[] bytes) throws FormatException {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new FormatException(file, "not a NumPy .npy file (it does not start with \\x93NUMPY)");
        }
        int major = bytes[6] & 0xff;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength;
        int start;
        if (major == 1) {
            headerLength = b.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) throw new FormatException(file, "the file ends inside its header");
            headerLength = b.getInt(8) & 0xffffffffL;
            start = 12;
        } else {
            throw new FormatException(file, ".npy format version " + major + "." + (bytes[7] & 0xff)
                    + " is not read (1.0, 2.0 and 3.0 are)");
        }
        if (start + headerLength > bytes.length) throw new FormatException(file, "the file ends inside its header");
        String header = new String(bytes, start, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header h = Header.parse(file, header);
        Type type = Type.ofDescr(h.descr);
        if (type == null) {
            throw new FormatException(file, "element type '" + h.descr + "' is not read; specc reads little-endian "
                    + "float32 ('<f4'), uint8 ('|u1') and int64 ('<i8'): convert with array.astype(numpy.float32)");
        }
        if (h.fortranOrder && h.shape.length > 1) {
            throw new FormatException(file, "the array is stored in Fortran order; specc reads C order: save "
                    + "numpy.ascontiguousarray(array)");
        }
        long expected;
        try {
            expected = Math.multiplyExact(Shapes.elements(h.shape), type.bytes());
        } catch (ArithmeticException e) {
            throw new FormatException(file, "shape " + shapeText(h.shape) + " is too large");
        }
        long dataStart = start + headerLength;
        if (bytes.length - dataStart != expected) {
            throw new FormatException(file, "shape " + shapeText(h.shape) + " of " + type.numpyName() + " needs "
                    + expected + " bytes of data, the file has " + (bytes.length - dataStart));
        }
        return new Array(type, h.shape, ByteBuffer.wrap(bytes, (int) dataStart, (int) expected).slice());
    }

    /** Writes a version 1.0 file (2.0 when the header does not fit 1.0's 65535 bytes), atomically. */
    public static void write(Path file, Array array) throws IOException {
        AtomicFiles.write(file, bytes(array));
    }

    static byte[] bytes(Array array) {
        String dict = "{'descr': '" + array.type().descr + "', 'fortran_order': False, 'shape': "
                + shapeText(array.shape()) + ", }";
        int prefix = dict.length() + 1 + 10 > 65535 ? 12 : 10;
        int padded = ((prefix + dict.length() + 1 + ALIGNMENT - 1) / ALIGNMENT) * ALIGNMENT;
        String header = dict + " ".repeat(padded - prefix - dict.length() - 1) + "\n";
        ByteBuffer data = array.data();
        ByteBuffer out = ByteBuffer.allocate(padded + data.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) (prefix == 10 ? 1 : 2)).put((byte) 0);
        if (prefix == 10) out.putShort((short) header.length());
        else out.putInt(header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return out.array();
    }

    /** Python's tuple: (), (3,), (2, 3). */
    static String shapeText(long[] shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) s.append(i == 0 ? "" : ", ").append(shape[i]);
        return s.append(")").toString();
    }

    /** The header's dict literal: only the three keys NumPy writes, with string, boolean and int-tuple values. */
    private static final class Header {
        String descr;
        Boolean fortranOrder;
        long[] shape;
        private final Path file;
        private final String text;
        private int pos;

        private Header(Path file, String text) {
            this.file = file;
            this.text = text;
        }

        static Header parse(Path file, String text) throws FormatException {
            Header h = new Header(file, text);
            h.dict();
            if (h.descr == null || h.fortranOrder == null || h.shape == null) {
                throw new FormatException(file, "the header lacks " + (h.descr == null ? "'descr'"
                        : h.fortranOrder == null ? "'fortran_order'" : "'shape'") + ": " + text.strip());
            }
            return h;
        }

        private void dict() throws FormatException {
            expect('{');
            while (true) {
                skipSpace();
                if (peek() == '}') break;
                String key = string();
                expect(':');
                switch (key) {
                    case "descr" -> {
                        skipSpace();
                        if (peek() != '\'' && peek() != '"') {
                            throw bad("'descr' is a structured type (" + text.strip() + "); specc reads plain arrays");
                        }
                        descr = string();
                    }
                    case "fortran_order" -> fortranOrder = bool();
                    case "shape" -> shape = tuple();
                    default -> throw bad("unknown header key '" + key + "'");
                }
                skipSpace();
                if (peek() == ',') pos++;
                else if (peek() != '}') throw bad("expected ',' or '}' at offset " + pos);
            }
            pos++;
        }

        private String string() throws FormatException {
            skipSpace();
            char quote = peek();
            if (quote != '\'' && quote != '"') throw bad("expected a quoted name at offset " + pos);
            int end = text.indexOf(quote, pos + 1);
            if (end < 0) throw bad("unterminated string at offset " + pos);
            String s = text.substring(pos + 1, end);
            pos = end + 1;
            return s;
        }

        private boolean bool() throws FormatException {
            skipSpace();
            if (text.startsWith("True", pos)) {
                pos += 4;
                return true;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return false;
            }
            throw bad("expected True or False at offset " + pos);
        }

        private long[] tuple() throws FormatException {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == ')') break;
                int from = pos;
                while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
                if (from == pos) throw bad("expected a dimension at offset " + pos);
                try {
                    dims.add(Long.parseLong(text.substring(from, pos)));
                } catch (NumberFormatException e) {
                    throw bad("dimension " + text.substring(from, pos) + " is too large");
                }
                skipSpace();
                if (peek() == ',') pos++;
                else if (peek() != ')') throw bad("expected ',' or ')' at offset " + pos);
            }
            pos++;
            return dims.stream().mapToLong(Long::longValue).toArray();
        }

        private void expect(char c) throws FormatException {
            skipSpace();
            if (peek() != c) throw bad("expected '" + c + "' at offset " + pos);
            pos++;
        }

        private char peek() throws FormatException {
            if (pos >= text.length()) throw bad("the header ends early");
            return text.charAt(pos);
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
        }

        private FormatException bad(String message) {
            return new FormatException(file, "not a .npy header specc reads: " + message);
        }
    }
}
