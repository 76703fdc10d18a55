package dev.specc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written here are read by numpy at the header's offsets, and files numpy writes are read
 * here. Skipped where /usr/bin/python3 has no numpy: the build installs nothing for it.
 */
class SafetensorsNumpyInteropTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    /** Prints "name dtype shape values" per tensor, from the raw bytes at the header's offsets. */
    private static final String READ = String.join("\n",
            "import json, struct, sys, numpy as np",
            "raw = open(sys.argv[1], 'rb').read()",
            "n = struct.unpack('<Q', raw[:8])[0]",
            "header = json.loads(raw[8:8 + n])",
            "data = raw[8 + n:]",
            "types = {'F32': '<f4', 'F64': '<f8', 'I32': '<i4', 'I64': '<i8'}",
            "for name in sorted(k for k in header if k != '__metadata__'):",
            "    info = header[name]",
            "    begin, end = info['data_offsets']",
            "    a = np.frombuffer(data[begin:end], dtype=types[info['dtype']]).reshape(info['shape'])",
            "    print(name, info['dtype'], list(a.shape), a.flatten().tolist())",
            "print('metadata', sorted(header.get('__metadata__', {}).items()))");

    /** Writes a file the way the reference does it, with numpy arrays' bytes. */
    private static final String WRITE = String.join("\n",
            "import json, struct, sys, numpy as np",
            "arrays = {'w': np.arange(6, dtype='<f4').reshape(2, 3) / 4, 'ids': np.array([3, -1], dtype='<i8')}",
            "header, offset, blobs = {'__metadata__': {'by': 'numpy'}}, 0, []",
            "for name, a in arrays.items():",
            "    b = a.tobytes()",
            "    header[name] = {'dtype': {'float32': 'F32', 'int64': 'I64'}[str(a.dtype)], 'shape': list(a.shape),",
            "                    'data_offsets': [offset, offset + len(b)]}",
            "    offset += len(b)",
            "    blobs.append(b)",
            "text = json.dumps(header, separators=(',', ':')).encode()",
            "text += b' ' * (-len(text) % 8)",
            "open(sys.argv[1], 'wb').write(struct.pack('<Q', len(text)) + text + b''.join(blobs))");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsNumpy() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
        assumeTrue(python("import numpy").exitCode == 0, "/usr/bin/python3 has no numpy");
    }

    @Test
    void numpyReadsWhatSpeccWrites() throws Exception {
        Path file = dir.resolve("w.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("conv/kernel", Tensor.ofFloats(new long[] {2, 2}, 0.5f, -1.25f, 3f, 1e-3f));
        tensors.put("mean", Tensor.ofDoubles(new long[] {3}, 0.1, 0.2, -7));
        tensors.put("ids", Tensor.ofInts(new long[] {1, 2}, -5, 9));
        tensors.put("step", Tensor.ofLongs(new long[] {}, 123456789012L));
        tensors.put("none", Tensor.ofFloats(new long[] {0, 3}));
        Safetensors.write(file, tensors, Map.of("epoch", "3"));

        Run run = python(READ, file.toString());
        assertEquals(0, run.exitCode, run.output);
        assertEquals(List.of(
                "conv/kernel F32 [2, 2] [0.5, -1.25, 3.0, 0.0010000000474974513]",
                "ids I32 [1, 2] [-5, 9]",
                "mean F64 [3] [0.1, 0.2, -7.0]",
                "none F32 [0, 3] []",
                "step I64 [] [123456789012]",
                "metadata [('epoch', '3')]"), run.output.lines().toList());
    }

    @Test
    void speccReadsWhatNumpyWrites() throws Exception {
        Path file = dir.resolve("np.safetensors");
        Run run = python(WRITE, file.toString());
        assertEquals(0, run.exitCode, run.output);
        Safetensors.Contents contents = Safetensors.read(file);
        assertEquals(Tensor.ofFloats(new long[] {2, 3}, 0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f), contents.tensors().get("w"));
        assertEquals(Tensor.ofLongs(new long[] {2}, 3, -1), contents.tensors().get("ids"));
        assertEquals(Map.of("by", "numpy"), contents.metadata());
    }

    private record Run(int exitCode, String output) {
    }

    private static Run python(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-c", script));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroy();
            return new Run(-1, "python timed out");
        }
        return new Run(process.exitValue(), output);
    }
}
