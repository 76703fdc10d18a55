package dev.specc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specc.runtime.io.pytorch.TorchCheckpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading torch.save zip files (fixtures from src/test/resources/pytorch/make_fixtures.py) and refusing what is not a state dict. */
class PyTorchCheckpointTest {
    static final Path FIXTURES = Path.of("src/test/resources/pytorch");

    @Test
    void everyElementTypeAndStridedViewsReadAsPyTorchHoldsThem() throws IOException {
        Map<String, Tensor> tensors = TorchCheckpoint.read(FIXTURES.resolve("views.pt"));
        JsonNode expected = new ObjectMapper().readTree(FIXTURES.resolve("views.json").toFile());
        assertEquals(List.of("f32", "f32_offset_view", "f32_transposed", "f32_step", "f16", "bf16", "f64", "i64", "scalar"),
                List.copyOf(tensors.keySet()));
        for (var it = expected.fields(); it.hasNext(); ) {
            var e = it.next();
            Tensor t = tensors.get(e.getKey());
            long[] shape = new long[e.getValue().get("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = e.getValue().get("shape").get(i).asLong();
            assertArrayEquals(shape, t.shape(), e.getKey());
            JsonNode values = e.getValue().get("values");
            if (e.getKey().equals("i64")) {
                assertEquals(DType.I64, t.dtype());
                assertArrayEquals(new long[] {-3, 5, 1L << 40, 7}, t.toLongs());
                continue;
            }
            assertEquals(DType.F32, t.dtype(), e.getKey());
            float[] floats = t.toFloats();
            assertEquals(values.size(), floats.length, e.getKey());
            for (int i = 0; i < floats.length; i++) {
                // float16, bfloat16 and float32 are exact in float32; float64 rounds to the nearest float32.
                assertEquals((float) values.get(i).asDouble(), floats[i], 0f, e.getKey() + "[" + i + "]");
            }
        }
    }

    @Test
    void aStateDictKeepsItsNamesOrderAndShapes() throws IOException {
        Map<String, Tensor> tensors = TorchCheckpoint.read(FIXTURES.resolve("small.pt"));
        assertEquals(List.of("features.0.weight", "features.1.weight", "features.1.bias", "features.1.running_mean",
                "features.1.running_var", "features.1.num_batches_tracked", "features.3.weight", "features.3.bias",
                "features.4.weight", "features.4.bias", "features.4.running_mean", "features.4.running_var",
                "features.4.num_batches_tracked", "classifier.weight", "classifier.bias"), List.copyOf(tensors.keySet()));
        assertArrayEquals(new long[] {4, 3, 3, 3}, tensors.get("features.0.weight").shape());
        assertArrayEquals(new long[] {5, 64}, tensors.get("classifier.weight").shape());
        assertEquals(DType.I64, tensors.get("features.1.num_batches_tracked").dtype());
        assertArrayEquals(new long[] {}, tensors.get("features.1.num_batches_tracked").shape());
    }

    /** A torch.save-shaped zip around the given pickle bytes. */
    static Path checkpoint(Path dir, String name, byte[] pickle) throws IOException {
        Path file = dir.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(pickle);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("archive/version"));
            zip.write("3\n".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
        }
        return file;
    }

    /** Pickle opcodes: protocol 2, GLOBAL module.name, one string argument, REDUCE, STOP: module.name(argument). */
    static byte[] callPickle(String module, String name, String argument) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x80, 2});
        out.writeBytes(("c" + module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        byte[] arg = argument.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        out.writeBytes(new byte[] {(byte) arg.length, 0, 0, 0});
        out.writeBytes(arg);
        out.write(0x85);  // TUPLE1
        out.write('R');   // REDUCE
        out.write('.');   // STOP
        return out.toByteArray();
    }

    @Test
    void aPickleNamingOsSystemIsRefusedByNameAndNothingRuns(@TempDir Path dir) throws IOException {
        Path marker = dir.resolve("ran");
        for (String[] global : new String[][] {{"os", "system"}, {"posix", "system"}, {"builtins", "eval"},
                {"__builtin__", "eval"}, {"subprocess", "call"}}) {
            Path file = checkpoint(dir, global[0] + ".pt", callPickle(global[0], global[1], "touch " + marker));
            IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.read(file));
            assertEquals(file + ": not loaded as a PyTorch checkpoint: it names the global " + global[0] + "." + global[1]
                    + ", which a PyTorch state dict does not need; specc refuses it and runs nothing from the file (it "
                    + "reads only tensors in dicts)", e.getMessage());
        }
        assertFalse(Files.exists(marker));
    }

    @Test
    void aGlobalNamedByStackGlobalInAFramedProtocol4PickleIsRefusedToo(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {(byte) 0x80, 4, (byte) 0x95, 20, 0, 0, 0, 0, 0, 0, 0});   // PROTO 4, FRAME 20
        p.writeBytes(new byte[] {(byte) 0x8c, 2, 'o', 's', (byte) 0x94});                     // SHORT_BINUNICODE 'os', MEMOIZE
        p.writeBytes(new byte[] {(byte) 0x8c, 6, 's', 'y', 's', 't', 'e', 'm', (byte) 0x94}); // 'system'
        p.writeBytes(new byte[] {(byte) 0x93, '.'});                                          // STACK_GLOBAL, STOP
        Path file = checkpoint(dir, "framed.pt", p.toByteArray());
        IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().contains("it names the global os.system"), e.getMessage());
    }

    @Test
    void anAllowedGlobalCalledAsItNeverIsAndInstructionsAStateDictDoesNotUseAreRefused(@TempDir Path dir) throws IOException {
        Path storageCall = checkpoint(dir, "storage.pt", callPickle("torch", "FloatStorage", "x"));
        assertTrue(assertThrows(IOException.class, () -> TorchCheckpoint.read(storageCall)).getMessage()
                .endsWith("torch.FloatStorage is called, which torch.save never does"));
        // INST (i): the text protocol's call-a-class instruction.
        Path inst = checkpoint(dir, "inst.pt", "(ios\nsystem\nX\u0001\u0000\u0000\u0000x.".getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(assertThrows(IOException.class, () -> TorchCheckpoint.read(inst)).getMessage()
                .endsWith("instruction 0x69 at byte 1 is not one a state dict uses; specc reads only state dicts (tensors "
                        + "in dicts), and runs nothing"));
    }

    @Test
    void filesThatAreNotCheckpointsSayWhat(@TempDir Path dir) throws IOException {
        Path noPickle = dir.resolve("other.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(noPickle))) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.closeEntry();
        }
        assertEquals(noPickle + ": not loaded as a PyTorch checkpoint: a zip archive without NAME/data.pkl, so not a "
                + "torch.save checkpoint", assertThrows(IOException.class, () -> TorchCheckpoint.read(noPickle)).getMessage());
        Path list = checkpoint(dir, "list.pt", new byte[] {(byte) 0x80, 2, ']', '.'});
        assertTrue(assertThrows(IOException.class, () -> TorchCheckpoint.read(list)).getMessage()
                .endsWith("it holds a list, not a state dict (save model.state_dict())"));
        Path truncated = checkpoint(dir, "truncated.pt", new byte[] {(byte) 0x80, 2, 'X', 9, 0, 0, 0, 'a'});
        assertTrue(assertThrows(IOException.class, () -> TorchCheckpoint.read(truncated)).getMessage()
                .endsWith("a string longer than the rest of the pickle"));
    }

    @Test
    void aViewReachingPastItsStorageIsRefused(@TempDir Path dir) throws IOException {
        // {'w': _rebuild_tensor_v2(storage of 4 floats, offset 2, size (3,), stride (1,), False, OrderedDict())}
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {(byte) 0x80, 2, '}', 'X', 1, 0, 0, 0, 'w'});
        p.writeBytes("ctorch._utils\n_rebuild_tensor_v2\n(".getBytes(StandardCharsets.US_ASCII));
        p.writeBytes(new byte[] {'(', 'X', 7, 0, 0, 0});
        p.writeBytes("storagectorch\nFloatStorage\nX\u0001\u0000\u0000\u00000X\u0003\u0000\u0000\u0000cpuK\u0004tQ"
                .getBytes(StandardCharsets.ISO_8859_1));
        p.writeBytes(new byte[] {'K', 2, 'K', 3, (byte) 0x85, 'K', 1, (byte) 0x85, (byte) 0x89});
        p.writeBytes("ccollections\nOrderedDict\n)RtRs.".getBytes(StandardCharsets.US_ASCII));
        Path file = checkpoint(dir, "past.pt", p.toByteArray());
        assertTrue(assertThrows(IOException.class, () -> TorchCheckpoint.read(file)).getMessage()
                .endsWith("a tensor of shape [3] at offset 2 with strides [1] reads past its storage of 4 elements"));
    }

    private static String readProblem(Path dir, String name, byte[] pickle) throws IOException {
        Path file = checkpoint(dir, name, pickle);
        String message = assertThrows(IOException.class, () -> TorchCheckpoint.read(file)).getMessage();
        String prefix = file + ": not loaded as a PyTorch checkpoint: ";
        assertTrue(message.startsWith(prefix), message);
        return message.substring(prefix.length());
    }

    private static byte[] protocol2(String opcodes) {
        return ("\u0080\u0002" + opcodes).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aListThatContainsItselfOrIsADictKeyIsRefusedNotHashed(@TempDir Path dir) throws IOException {
        // {}, [], DUP, APPEND (the list into itself), None, SETITEM: {l: None} with l = [l]; hashing l never ends.
        assertEquals("a list that contains itself", readProblem(dir, "self.pt", protocol2("}]2aNs.")));
        assertEquals("a dict key that is a list (a state dict's keys are names)",
                readProblem(dir, "listkey.pt", protocol2("}]Ns.")));
        // a = [], memo 0; b = []; b.append(a); a.append(b): a cycle through two lists, then {a: None}.
        assertEquals("a dict key that is a list (a state dict's keys are names)",
                readProblem(dir, "cycle.pt", protocol2("}]q\u0000]h\u0000aaNs.")));
        assertEquals("a dict key that is a dict (a state dict's keys are names)",
                readProblem(dir, "dictkey.pt", protocol2("}}Ns.")));
    }

    @Test
    void deepNestingAndEndlessValuesAreRefusedWithALimit(@TempDir Path dir) throws IOException {
        assertEquals("values nested more than 64 deep",
                readProblem(dir, "deep.pt", protocol2("]".repeat(100) + "a".repeat(99) + ".")));
        assertEquals("values nested more than 64 deep",
                readProblem(dir, "deeptuple.pt", protocol2(")" + "\u0085".repeat(100) + ".")));
        assertEquals("it stacks more than 1048576 values",
                readProblem(dir, "stack.pt", protocol2("N".repeat((1 << 20) + 1) + ".")));
        // 32 rounds of MARK, 2^19 Nones, APPENDS: the stack stays small while one list grows past the value limit.
        String many = "]" + ("(" + "N".repeat(1 << 19) + "e").repeat(32);
        assertEquals("it builds more than 16777216 values", readProblem(dir, "many.pt", protocol2(many + ".")));
        StringBuilder memo = new StringBuilder("N");
        for (int i = 0; i <= (1 << 22); i++) memo.append("r").append(new String(new byte[] {(byte) i, (byte) (i >> 8),
                (byte) (i >> 16), (byte) (i >> 24)}, StandardCharsets.ISO_8859_1));
        assertEquals("it memoizes more than 4194304 values", readProblem(dir, "memo.pt", protocol2(memo + ".")));
    }

    /** LONG1 of 8 bytes: any long, as the pickle of a huge size or count would hold it. */
    private static void long8(ByteArrayOutputStream p, long value) {
        p.write(0x8a);
        p.write(8);
        for (int i = 0; i < 8; i++) p.write((int) (value >>> (8 * i)));
    }

    /** {'w': a float view of (shape, stride) at offset 0 over storage '0' declared with storageElements elements}. */
    private static byte[] viewPickle(long storageElements, long size, long stride) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {(byte) 0x80, 2, '}', 'X', 1, 0, 0, 0, 'w'});
        p.writeBytes("ctorch._utils\n_rebuild_tensor_v2\n(".getBytes(StandardCharsets.US_ASCII));
        p.writeBytes(new byte[] {'(', 'X', 7, 0, 0, 0});
        p.writeBytes("storagectorch\nFloatStorage\nX\u0001\u0000\u0000\u00000X\u0003\u0000\u0000\u0000cpu"
                .getBytes(StandardCharsets.ISO_8859_1));
        long8(p, storageElements);
        p.writeBytes(new byte[] {'t', 'Q', 'K', 0});
        long8(p, size);
        p.write(0x85);
        long8(p, stride);
        p.writeBytes(new byte[] {(byte) 0x85, (byte) 0x89});
        p.writeBytes("ccollections\nOrderedDict\n)RtRs.".getBytes(StandardCharsets.US_ASCII));
        return p.toByteArray();
    }

    /** The checkpoint of {@link #viewPickle} with a storage entry of the given bytes. */
    private static Path viewCheckpoint(Path dir, String name, byte[] pickle, int storageBytes) throws IOException {
        Path file = checkpoint(dir, name, pickle);
        Path withData = dir.resolve("data-" + name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(withData));
                var in = new java.util.zip.ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(in.readAllBytes());
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("archive/data/0"));
            zip.write(new byte[storageBytes]);
            zip.closeEntry();
        }
        return withData;
    }

    @Test
    void aBroadcastOrOverflowingViewIsRefusedBeforeAnythingIsAllocated(@TempDir Path dir) throws IOException {
        Path broadcast = viewCheckpoint(dir, "broadcast.pt", viewPickle(1, 1L << 30, 0), 4);
        assertTrue(assertThrows(IOException.class, () -> TorchCheckpoint.read(broadcast)).getMessage()
                .endsWith("a tensor of shape [1073741824] has 1073741824 elements, more than its storage of 1 (a state "
                        + "dict does not broadcast)"));
        Path past2g = viewCheckpoint(dir, "past2g.pt", viewPickle(1, (1L << 31) + 5, 0), 4);
        assertTrue(assertThrows(IOException.class, () -> TorchCheckpoint.read(past2g)).getMessage()
                .endsWith("a tensor of shape [2147483653] has 2147483653 elements, more than its storage of 1 (a state "
                        + "dict does not broadcast)"));
        Path negative = viewCheckpoint(dir, "negative.pt", viewPickle(4, -1, 1), 16);
        assertTrue(assertThrows(IOException.class, () -> TorchCheckpoint.read(negative)).getMessage()
                .endsWith("a tensor size or stride that is -1"));
        // A storage declared with 2^62 elements: its byte count overflows a long; the view of one element is inside it.
        Path hugeStorage = viewCheckpoint(dir, "huge.pt", viewPickle(1L << 62, 1, 1), 4);
        assertTrue(assertThrows(IOException.class, () -> TorchCheckpoint.read(hugeStorage)).getMessage()
                .endsWith("the storage of w is larger than 2 GiB, the most specc holds"));
        // A storage declared larger than the file's entry: refused by the entry's real size, nothing sized by the claim.
        Path short_ = viewCheckpoint(dir, "short.pt", viewPickle(1 << 28, 1 << 28, 1), 4);
        assertTrue(assertThrows(IOException.class, () -> TorchCheckpoint.read(short_)).getMessage()
                .endsWith("the storage of w (archive/data/0) holds 4 bytes, not the 1073741824 of 268435456 elements"));
    }
}
