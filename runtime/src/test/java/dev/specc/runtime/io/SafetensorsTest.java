package dev.specc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    private static Map<String, Tensor> severalTypesAndShapes() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("conv/kernel", Tensor.ofFloats(new long[] {2, 3}, 1.5f, -2f, 0f, Float.MIN_VALUE, Float.NaN, 1e30f));
        tensors.put("scale", Tensor.ofDoubles(new long[] {4}, Math.PI, -0.0, Double.MAX_VALUE, 1e-300));
        tensors.put("counts", Tensor.ofInts(new long[] {2, 1, 2}, Integer.MIN_VALUE, -1, 7, Integer.MAX_VALUE));
        tensors.put("step", Tensor.ofLongs(new long[] {}, 1L << 40));
        tensors.put("empty", Tensor.ofFloats(new long[] {0, 5}));
        return tensors;
    }

    @Test
    void everyTypeAndShapeRoundTripsIncludingScalarsAndEmptyTensors() throws IOException {
        Path file = dir.resolve("w.safetensors");
        Map<String, Tensor> tensors = severalTypesAndShapes();
        Safetensors.write(file, tensors);

        Safetensors.Contents read = Safetensors.read(file);
        assertEquals(tensors, read.tensors());
        assertEquals(Map.of(), read.metadata());
        assertEquals(1L << 40, read.tensors().get("step").toLongs()[0]);
        assertArrayEquals(new long[] {}, read.tensors().get("step").shape());
        assertEquals(0, read.tensors().get("empty").elements());
        assertArrayEquals(new long[] {0, 5}, read.tensors().get("empty").shape());
        // The reference order: 8-byte types before 4-byte ones (I64, F64, F32, I32), then by name.
        assertEquals(List.of("step", "scale", "conv/kernel", "empty", "counts"), List.copyOf(read.tensors().keySet()));
    }

    @Test
    void headerIsPaddedWithSpacesSoTheDataStartsAlignedTo8() throws IOException {
        Path file = dir.resolve("w.safetensors");
        Safetensors.write(file, severalTypesAndShapes());
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8);
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertTrue(header.stripTrailing().endsWith("}"), header);
        assertEquals(header.stripTrailing(), header.strip(), "only trailing spaces pad the header");
    }

    @Test
    void bytesAreThoseOfTheReferenceImplementation() throws IOException {
        // The serialization example of the reference implementation's own tests.
        Path file = dir.resolve("ref.safetensors");
        Safetensors.write(file, Map.of("attn.0", Tensor.ofFloats(new long[] {1, 2, 3}, 0, 1, 2, 3, 4, 5)));
        String json = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}";
        ByteBuffer expected = ByteBuffer.allocate(8 + 64 + 24).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(64).put(json.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 6; i++) expected.putFloat(i);
        assertArrayEquals(expected.array(), Files.readAllBytes(file));

        Path empty = dir.resolve("empty.safetensors");
        Safetensors.write(empty, Map.of(), Map.of("framework", "pt"));
        String header = "{\"__metadata__\":{\"framework\":\"pt\"}}     ";
        ByteBuffer expectedEmpty = ByteBuffer.allocate(8 + 40).order(ByteOrder.LITTLE_ENDIAN);
        expectedEmpty.putLong(40).put(header.getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(expectedEmpty.array(), Files.readAllBytes(empty));
    }

    @Test
    void metadataRoundTrips() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Map<String, String> metadata = Map.of("format", "pt", "spec", "resnet50v2.yaml", "note", "äöü \"quoted\"\n");
        Safetensors.write(file, Map.of("b", Tensor.ofFloats(new long[] {1}, 3f)), metadata);
        Safetensors.Contents read = Safetensors.read(file);
        assertEquals(metadata, read.metadata());
        assertArrayEquals(new float[] {3f}, read.tensors().get("b").toFloats());
    }

    @Test
    void aTruncatedFileIsRefusedNamingTheFile() throws IOException {
        Path file = dir.resolve("cut.safetensors");
        Safetensors.write(file, severalTypesAndShapes());
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 3));
        assertProblem(file, "the header describes 80 bytes of tensor data but 77 follow the header (truncated file?)");

        Files.write(file, Arrays.copyOf(whole, 20));
        assertProblem(file, "its header length is " + (whole.length - 80 - 8) + " bytes but only 12 bytes follow (truncated file?)");

        Files.write(file, Arrays.copyOf(whole, 5));
        assertProblem(file, "it has 5 bytes, fewer than the 8 of the header length");
    }

    @Test
    void overlappingOffsetsAreRefused() throws IOException {
        Path file = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12);
        assertProblem(file, "tensor 'b' data_offsets [4, 12] overlap those of tensor 'a' [0, 8]");
    }

    @Test
    void gapsAndTrailingBytesAreRefused() throws IOException {
        Path gap = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8);
        assertProblem(gap, "data bytes [0, 4] before tensor 'a' belong to no tensor");
        Path trailing = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8);
        assertProblem(trailing, "the header describes 4 bytes of tensor data but 8 follow the header");
    }

    @Test
    void aSizeThatDisagreesWithTheShapeIsRefused() throws IOException {
        Path file = raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", 20);
        assertProblem(file, "tensor 'w' is F32 [2, 3], which takes 24 bytes, but its data_offsets [0, 20] hold 20");
    }

    @Test
    void malformedHeadersAreRefusedWithTheReason() throws IOException {
        assertProblem(raw("{\"w\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2),
                "tensor 'w' has dtype BF16, which specc does not read (specc reads I32, F32, F64, I64)");
        assertProblem(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4),
                "tensor 'w' shape holds -1, not a non-negative integer");
        assertProblem(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4),
                "tensor 'w' data_offsets [4, 0] end before they begin");
        assertProblem(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "tensor 'w' data_offsets is not a list of 2 integers");
        assertProblem(raw("{\"__metadata__\":{\"epochs\":3}}", 0), "__metadata__ value of 'epochs' is not a string");
        assertProblem(raw("[1, 2]", 0), "its header does not start with '{'");
        assertProblem(raw("{\"w\": ", 0), "its header is not valid JSON");
        assertProblem(raw("{\"a\":{},\"a\":{}}", 0), "its header is not valid JSON: Duplicate field 'a'");
    }

    @Test
    void writesLeaveNoTemporaryFilesAndReplaceTheTargetWhole() throws IOException {
        Path file = dir.resolve("w.safetensors");
        Safetensors.write(file, severalTypesAndShapes());
        Safetensors.write(file, Map.of("only", Tensor.ofFloats(new long[] {1}, 9f)));
        assertEquals(List.of("w.safetensors"), listing());
        assertEquals(Map.of("only", Tensor.ofFloats(new long[] {1}, 9f)), Safetensors.read(file).tensors());
    }

    @Test
    void aWriteThatFailsHalfwayLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("w.safetensors");
        Safetensors.write(file, severalTypesAndShapes());
        byte[] before = Files.readAllBytes(file);

        IOException failure = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", failure.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("w.safetensors"), listing());
    }

    @Test
    void writingIntoAMissingDirectoryOrOntoADirectorySaysSo() throws IOException {
        IOException missing = assertThrows(IOException.class,
                () -> Safetensors.write(dir.resolve("no/such/w.safetensors"), Map.of()));
        assertEquals("cannot write " + dir.resolve("no/such/w.safetensors") + ": directory " + dir.resolve("no/such")
                + " does not exist", missing.getMessage());
        Files.createDirectory(dir.resolve("taken"));
        IOException directory = assertThrows(IOException.class, () -> Safetensors.write(dir.resolve("taken"), Map.of()));
        assertEquals("cannot write " + dir.resolve("taken") + ": it is a directory", directory.getMessage());
        assertEquals(List.of("taken"), listing());
    }

    @Test
    void namesThatCannotBeTensorNamesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.write(
                dir.resolve("w.safetensors"), Map.of("__metadata__", Tensor.ofFloats(new long[] {1}, 1f))));
        assertEquals("'__metadata__' cannot name a tensor in a safetensors file", e.getMessage());
    }

    @Test
    void tensorsCheckTheirSizeAndTypedViews() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.ofFloats(new long[] {2, 2}, 1f, 2f, 3f));
        assertEquals("a F32 tensor of shape [2, 2] holds 16 bytes, not 12", e.getMessage());
        IllegalStateException wrongType = assertThrows(IllegalStateException.class,
                () -> Tensor.ofInts(new long[] {1}, 1).toFloats());
        assertEquals("this tensor holds I32 elements, not F32", wrongType.getMessage());
    }

    /** A file with the given header (padded as the format asks) and that many zero data bytes. */
    private Path raw(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer bytes = ByteBuffer.allocate(8 + padded + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(padded).put(json);
        while (bytes.position() < 8 + padded) bytes.put((byte) ' ');
        Path file = Files.createTempFile(dir, "raw", ".safetensors");
        Files.write(file, bytes.array());
        return file;
    }

    private static void assertProblem(Path file, String problem) {
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(file));
        String prefix = file + ": not a valid safetensors file: ";
        assertTrue(e.getMessage().startsWith(prefix + problem), "expected '" + prefix + problem + "', got: " + e.getMessage());
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
