package dev.specc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy files against files NumPy wrote (src/test/resources/npy, made by its make_fixtures.py). */
class NpyTest {
    @TempDir
    Path dir;

    private static Path fixture(String name) {
        try {
            return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void readsWhatNumpyWrote() throws IOException {
        Npy.Array f4 = Npy.read(fixture("f4_2x3.npy"));
        assertEquals(Npy.Type.F4, f4.type());
        assertArrayEquals(new long[] {2, 3}, f4.shape());
        assertArrayEquals(new float[] {-0.5f, -0.25f, 0, 0.25f, 0.5f, 0.75f}, f4.toFloats());

        Npy.Array u1 = Npy.read(fixture("u1_1x2x2x3.npy"));
        assertEquals(Npy.Type.U1, u1.type());
        assertArrayEquals(new long[] {1, 2, 2, 3}, u1.shape());
        assertEquals(220f, u1.toFloats()[11], "uint8 is unsigned");

        Npy.Array i8 = Npy.read(fixture("i8_3.npy"));
        assertEquals(Npy.Type.I8, i8.type());
        assertEquals(1L << 40, i8.data().getLong(16));

        Npy.Array scalar = Npy.read(fixture("f4_scalar.npy"));
        assertArrayEquals(new long[0], scalar.shape());
        assertArrayEquals(new float[] {2.5f}, scalar.toFloats());

        Npy.Array v2 = Npy.read(fixture("f4_v2.npy"));
        assertArrayEquals(new long[] {1, 2}, v2.shape());
        assertArrayEquals(new float[] {1.5f, -2}, v2.toFloats());
    }

    @Test
    void writesByteForByteWhatNumpyWrites() throws IOException {
        Path written = dir.resolve("out.npy");
        Npy.write(written, Npy.Array.ofFloats(new long[] {2, 3}, new float[] {-0.5f, -0.25f, 0, 0.25f, 0.5f, 0.75f}));
        assertArrayEquals(Files.readAllBytes(fixture("f4_2x3.npy")), Files.readAllBytes(written));
        for (String name : new String[] {"u1_1x2x2x3.npy", "i8_3.npy", "f4_scalar.npy"}) {
            Npy.write(written, Npy.read(fixture(name)));
            assertArrayEquals(Files.readAllBytes(fixture(name)), Files.readAllBytes(written), name);
        }
    }

    @Test
    void roundTripsEveryType() throws IOException {
        ByteBuffer longs = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-7).putLong(Long.MAX_VALUE).flip();
        for (Npy.Array a : new Npy.Array[] {
                Npy.Array.ofFloats(new long[] {1, 2, 2, 1}, new float[] {Float.MIN_VALUE, -0f, Float.NaN, 3e38f}),
                new Npy.Array(Npy.Type.U1, new long[] {3}, ByteBuffer.wrap(new byte[] {0, (byte) 128, (byte) 255})),
                new Npy.Array(Npy.Type.I8, new long[] {2, 1}, longs)}) {
            Path file = dir.resolve("a.npy");
            Npy.write(file, a);
            assertEquals(a, Npy.read(file));
            assertEquals(0, (Files.size(file) - a.elements() * a.type().bytes()) % 64, "the data starts 64-byte aligned");
        }
    }

    @Test
    void refusesWhatItDoesNotReadAndSaysWhy() throws IOException {
        assertEquals(fixture("f4_fortran.npy") + ": the array is stored in Fortran order; specc reads C order: save "
                + "numpy.ascontiguousarray(array)", refusal(fixture("f4_fortran.npy")));
        assertEquals(fixture("f8_2.npy") + ": element type '<f8' is not read; specc reads little-endian float32 ('<f4'), "
                + "uint8 ('|u1') and int64 ('<i8'): convert with array.astype(numpy.float32)", refusal(fixture("f8_2.npy")));
        assertEquals(fixture("f4_big_endian.npy") + ": element type '>f4' is not read; specc reads little-endian float32 "
                + "('<f4'), uint8 ('|u1') and int64 ('<i8'): convert with array.astype(numpy.float32)",
                refusal(fixture("f4_big_endian.npy")));
        Path png = Files.write(dir.resolve("x.npy"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0});
        assertEquals(png + ": not a NumPy .npy file (it does not start with \\x93NUMPY)", refusal(png));
        byte[] whole = Files.readAllBytes(fixture("f4_2x3.npy"));
        Path cut = Files.write(dir.resolve("cut.npy"), java.util.Arrays.copyOf(whole, whole.length - 4));
        assertEquals(cut + ": shape (2, 3) of float32 needs 24 bytes of data, the file has 20", refusal(cut));
        Path pickled = Files.write(dir.resolve("obj.npy"), header("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"));
        assertEquals(pickled + ": element type '|O' is not read; specc reads little-endian float32 ('<f4'), uint8 ('|u1') "
                + "and int64 ('<i8'): convert with array.astype(numpy.float32)", refusal(pickled));
        Path structured = Files.write(dir.resolve("s.npy"), header("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }"));
        assertEquals(structured + ": not a .npy header specc reads: 'descr' is a structured type ({'descr': [('a', '<f4')], "
                + "'fortran_order': False, 'shape': (1,), }); specc reads plain arrays", refusal(structured));
        Path v9 = dir.resolve("v9.npy");
        byte[] nine = whole.clone();
        nine[6] = 9;
        Files.write(v9, nine);
        assertEquals(v9 + ": .npy format version 9.0 is not read (1.0, 2.0 and 3.0 are)", refusal(v9));
    }

    @Test
    void hugeOrOverflowingDimensionsAreFormatErrors() throws IOException {
        Path digits = Files.write(dir.resolve("digits.npy"),
                header("{'descr': '<f4', 'fortran_order': False, 'shape': (123456789012345678901234,), }"));
        assertEquals(digits + ": not a .npy header specc reads: dimension 123456789012345678901234 is too large",
                refusal(digits));
        Path overflow = Files.write(dir.resolve("overflow.npy"),
                header("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }"));
        assertEquals(overflow + ": shape (4294967296, 4294967296) is too large", refusal(overflow));
        Path bytesOverflow = Files.write(dir.resolve("bytes.npy"),
                header("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904,), }"));
        assertEquals(bytesOverflow + ": shape (4611686018427387904,) is too large", refusal(bytesOverflow));
        Path empty = Files.write(dir.resolve("empty.npy"),
                header("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 0), }"));
        assertArrayEquals(new long[] {4294967296L, 4294967296L, 0}, Npy.read(empty).shape(), "zero elements, not an overflow");
    }

    private static byte[] header(String dict) {
        byte[] text = (dict + "\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) text.length).put(text);
        return b.array();
    }

    private static String refusal(Path file) {
        return assertThrows(Npy.FormatException.class, () -> Npy.read(file)).getMessage();
    }
}
