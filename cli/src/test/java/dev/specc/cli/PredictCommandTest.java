package dev.specc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.Pipeline;
import dev.specc.ir.WeightSpec;
import dev.specc.runtime.io.Npy;
import dev.specc.runtime.io.Safetensors;
import dev.specc.runtime.io.Tensor;
import dev.specc.shapes.AnalyzedNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** predict --output logits|probabilities, --layer and --out, with .npy inputs, on a small network with random weights. */
class PredictCommandTest {
    @TempDir
    static Path dir;

    static Path softmaxSpec;
    static Path softmaxWeights;
    static Path sigmoidSpec;
    static Path sigmoidWeights;
    /** Two 6x6x3 pixel images, and the same preprocessed as Keras' preprocess_input(mode='torch'). */
    static Path pixels;
    static Path preprocessed;

    static final String NET = """
            specc: 1
            name: %s
            input: {shape: [6, 6, 3]}
            stem:
              - {kind: conv2d, name: conv, filters: 4, kernel: 3, padding: same}
              - {kind: batch_norm, name: bn}
              - {kind: relu, name: relu}
            head:
              - {kind: flatten, name: flat}
              - {kind: dense, name: predictions, units: %d, activation: %s}
            data:
              source: folder
              path: pics
              class_names: %s
              normalize: torch
            """;

    @BeforeAll
    static void makeNetworksAndInputs() throws Exception {
        softmaxSpec = Files.writeString(dir.resolve("soft.yaml"), NET.formatted("soft", 3, "softmax", "[cat, dog, fox]"));
        sigmoidSpec = Files.writeString(dir.resolve("sig.yaml"), NET.formatted("sig", 1, "sigmoid", "[cat, dog]"));
        softmaxWeights = randomWeights(softmaxSpec, 1);
        sigmoidWeights = randomWeights(sigmoidSpec, 2);
        Random random = new Random(5);
        byte[] bytes = new byte[2 * 6 * 6 * 3];
        random.nextBytes(bytes);
        pixels = dir.resolve("pixels.npy");
        Npy.write(pixels, new Npy.Array(Npy.Type.U1, new long[] {2, 6, 6, 3}, ByteBuffer.wrap(bytes)));
        float[] mean = {0.485f, 0.456f, 0.406f};
        float[] std = {0.229f, 0.224f, 0.225f};
        float[] input = new float[bytes.length];
        for (int i = 0; i < input.length; i++) input[i] = ((bytes[i] & 0xff) / 255f - mean[i % 3]) / std[i % 3];
        preprocessed = dir.resolve("input.npy");
        Npy.write(preprocessed, Npy.Array.ofFloats(new long[] {2, 6, 6, 3}, input));
    }

    /** Every weight of the spec drawn at random, batch-norm statistics included, as a safetensors checkpoint. */
    static Path randomWeights(Path spec, long seed) throws Exception {
        Random random = new Random(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (AnalyzedNode n : Pipeline.analyze(spec, Pipeline.Options.DEFAULT).nodes()) {
            for (WeightSpec w : n.weights()) {
                float[] values = new float[(int) w.elements()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = w.name().equals("moving_variance") ? 0.5f + random.nextFloat() : (float) random.nextGaussian() * 0.5f;
                }
                tensors.put(n.node().name() + "/" + w.name(), Tensor.ofFloats(w.shape(), values));
            }
        }
        Path file = dir.resolve(spec.getFileName() + ".safetensors");
        Safetensors.write(file, tensors);
        return file;
    }

    record Result(int code, String out, String err) {
    }

    static Result specc(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Specc.run(new PrintWriter(System.out, true), new PrintWriter(err, true), args);
        } finally {
            System.setOut(saved);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    static Npy.Array predict(Path spec, Path weights, String out, String... options) throws Exception {
        Path file = dir.resolve(out);
        String[] args = new String[options.length + 9];
        String[] fixed = {"predict", spec.toString(), "--checkpoint", weights.toString(), "--precision", "float32",
                "--out", file.toString(), preprocessed.toString()};
        System.arraycopy(fixed, 0, args, 0, fixed.length);
        System.arraycopy(options, 0, args, fixed.length, options.length);
        Result r = specc(args);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith(file + ": float32 "), r.out());
        return Npy.read(file);
    }

    @Test
    void softmaxOfTheLogitsIsTheProbabilities() throws Exception {
        Npy.Array logits = predict(softmaxSpec, softmaxWeights, "logits.npy", "--output", "logits");
        Npy.Array probabilities = predict(softmaxSpec, softmaxWeights, "probabilities.npy");
        assertArrayEquals(new long[] {2, 3}, logits.shape());
        assertArrayEquals(new long[] {2, 3}, probabilities.shape());
        float[] z = logits.toFloats();
        float[] p = probabilities.toFloats();
        for (int e = 0; e < 2; e++) {
            double sum = 0;
            for (int k = 0; k < 3; k++) sum += Math.exp(z[3 * e + k]);
            for (int k = 0; k < 3; k++) assertEquals(Math.exp(z[3 * e + k]) / sum, p[3 * e + k], 1e-6);
        }
        assertTrue(Math.abs(z[0] - z[1]) > 0.1, "non-trivial logits: " + java.util.Arrays.toString(z));
    }

    @Test
    void sigmoidOfTheLogitIsTheProbability() throws Exception {
        float[] z = predict(sigmoidSpec, sigmoidWeights, "sig-logits.npy", "--output", "logits").toFloats();
        float[] p = predict(sigmoidSpec, sigmoidWeights, "sig-p.npy").toFloats();
        assertEquals(2, z.length);
        for (int e = 0; e < 2; e++) assertEquals(1 / (1 + Math.exp(-z[e])), p[e], 1e-6);
    }

    @Test
    void aLayersOutputIsWrittenBatchFirst() throws Exception {
        Npy.Array conv = predict(softmaxSpec, softmaxWeights, "conv.npy", "--layer", "conv");
        assertArrayEquals(new long[] {2, 6, 6, 4}, conv.shape());
        float[] relu = predict(softmaxSpec, softmaxWeights, "relu.npy", "--layer", "relu").toFloats();
        float[] c = conv.toFloats();
        assertTrue(c[0] != 0 && relu.length == c.length);
        long negatives = 0;
        for (int i = 0; i < relu.length; i++) {
            assertTrue(relu[i] >= 0);
            if (c[i] < 0) negatives++;
        }
        assertTrue(negatives > 0, "the convolution has negative outputs for the ReLU to clip");
        assertArrayEquals(new long[] {2, 144}, predict(softmaxSpec, softmaxWeights, "flat.npy", "--layer", "flat").shape());
    }

    @Test
    void uint8PixelsArePreprocessedAsImagesAreAndFloat32IsTheModelInput() throws Exception {
        Path fromPixels = dir.resolve("from-pixels.npy");
        Result r = specc("predict", softmaxSpec.toString(), "--checkpoint", softmaxWeights.toString(), "--precision", "float32",
                "--output", "logits", "--out", fromPixels.toString(), pixels.toString());
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(predict(softmaxSpec, softmaxWeights, "fed.npy", "--output", "logits").toFloats(),
                Npy.read(fromPixels).toFloats());
    }

    @Test
    void oneExampleWithoutTheBatchAxisAndPrintedLogits() throws Exception {
        float[] first = new float[6 * 6 * 3];
        System.arraycopy(Npy.read(preprocessed).toFloats(), 0, first, 0, first.length);
        Path single = dir.resolve("single.npy");
        Npy.write(single, Npy.Array.ofFloats(new long[] {6, 6, 3}, first));
        Result r = specc("predict", softmaxSpec.toString(), "--checkpoint", softmaxWeights.toString(), "--precision", "float32",
                "--output", "logits", "--format", "json", single.toString());
        assertEquals(0, r.code(), r.err());
        com.fasterxml.jackson.databind.JsonNode answer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).get(0);
        assertEquals(single.toString(), answer.get("file").asText());
        float[] batch = predict(softmaxSpec, softmaxWeights, "batch.npy", "--output", "logits").toFloats();
        assertEquals(batch[2], answer.get("logits").get("fox").floatValue(), 1e-6);
    }

    /** A PNG and a uint8 .npy of the same pixels give the same logits: both are preprocessed as evaluation images are. */
    @Test
    void anImageAndItsPixelsAsUint8GiveTheSameLogits() throws Exception {
        byte[] bytes = new byte[6 * 6 * 3];
        Npy.read(pixels).data().get(bytes);
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(6, 6, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
                int i = (y * 6 + x) * 3;
                image.setRGB(x, y, (bytes[i] & 0xff) << 16 | (bytes[i + 1] & 0xff) << 8 | (bytes[i + 2] & 0xff));
            }
        }
        Path png = dir.resolve("first.png");
        javax.imageio.ImageIO.write(image, "png", png.toFile());
        Path one = dir.resolve("first.npy");
        Npy.write(one, new Npy.Array(Npy.Type.U1, new long[] {6, 6, 3}, ByteBuffer.wrap(bytes)));
        String[] base = {"predict", softmaxSpec.toString(), "--checkpoint", softmaxWeights.toString(), "--precision", "float32",
                "--output", "logits"};
        Result fromImage = specc(with(base, "--format", "json", png.toString()));
        Result fromArray = specc(with(base, "--format", "json", one.toString()));
        assertEquals(0, fromImage.code(), fromImage.err());
        assertEquals(0, fromArray.code(), fromArray.err());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals(json.readTree(fromArray.out()).get(0).get("logits"), json.readTree(fromImage.out()).get(0).get("logits"));
        Result text = specc(with(base, "--top", "2", png.toString()));
        String[] lines = text.out().split("\n");
        assertEquals(png + " (logits)", lines[0]);
        assertEquals(3, lines.length, text.out());
    }

    @Test
    void mistakesAreNamedWithExitCode2() throws Exception {
        String[] base = {"predict", softmaxSpec.toString(), "--checkpoint", softmaxWeights.toString()};
        assertMistake(with(base, "--layer", "cnv", "--out", dir.resolve("x.npy").toString(), preprocessed.toString()),
                "--layer cnv: no such layer in soft (did you mean 'conv'?)");
        assertMistake(with(base, "--layer", "conv", preprocessed.toString()),
                "--layer conv writes the layer's output to a .npy file: give --out FILE.npy");
        assertMistake(with(base, "--layer", "conv", "--output", "logits", "--out", "x.npy", preprocessed.toString()),
                "give --layer or --output, not both");
        assertMistake(with(base, "--out", dir.resolve("x.txt").toString(), preprocessed.toString()),
                "expected a file name ending in .npy");
        Path wrong = dir.resolve("wrong.npy");
        Npy.write(wrong, Npy.Array.ofFloats(new long[] {1, 5, 6, 3}, new float[90]));
        assertMistake(with(base, wrong.toString()), wrong + ": shape [1, 5, 6, 3] does not fit the model's input [6, 6, 3]");
        Path text = Files.writeString(dir.resolve("text.npy"), "1 2 3");
        assertMistake(with(base, text.toString()), text + ": not a NumPy .npy file (it does not start with \\x93NUMPY)");
        Path longs = dir.resolve("longs.npy");
        Npy.write(longs, new Npy.Array(Npy.Type.I8, new long[] {1}, ByteBuffer.allocate(8)));
        assertMistake(with(base, longs.toString()), longs + ": int64 is not an input");
        assertMistake(with(base, preprocessed.toString(), dir.resolve("soft.yaml").toString()), "give images or .npy files, not both");
    }

    private static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static void assertMistake(String[] args, String message) {
        Result r = specc(args);
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(message), "expected '" + message + "' in: " + r.err());
    }
}
