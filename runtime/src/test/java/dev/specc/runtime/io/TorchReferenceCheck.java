package dev.specc.runtime.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The program check_torch_weights.sh runs (src/test/reference): loads NAME.pt from the folder
 * torch_weights.py wrote into SPEC as --init-from does (strictly, the mapping chosen by the file's
 * names), computes the logits of input.bin, and prints their largest difference from PyTorch's over
 * the logits' scale.
 */
public final class TorchReferenceCheck {
    private TorchReferenceCheck() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String name = args[2];
        JsonNode meta = new ObjectMapper().readTree(dir.resolve("meta.json").toFile());
        long[] shape = new long[4];
        for (int i = 0; i < 4; i++) shape[i] = meta.get("input_shape").get(i).asLong();
        float[] input = floats(dir.resolve("input.bin"));
        float[] expected = floats(dir.resolve(name + ".logits.bin"));
        long start = System.nanoTime();
        try (TorchLogits net = TorchLogits.load(Path.of(args[1]), dir.resolve(name + ".pt"), null)) {
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            float[] logits = net.logits(shape, input);
            double scale = 0;
            double diff = 0;
            for (int i = 0; i < logits.length; i++) {
                scale = Math.max(scale, Math.abs(expected[i]));
                diff = Math.max(diff, Math.abs(expected[i] - logits[i]));
            }
            System.out.printf("%s (%s, mapping %s): %s; %d logits, max |logit| %.4f, max abs diff %.3g = %.3g of scale (%s 1e-4); "
                            + "compiled and loaded in %.1f s%n", name, args[1], net.plan.mapped().mapping(), net.plan.report(), logits.length, scale, diff,
                    diff / scale, diff / scale <= 1e-4 ? "within" : "NOT within", loadSeconds);
            if (diff / scale > 1e-4) System.exit(1);
        }
    }

    private static float[] floats(Path file) throws java.io.IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(values);
        return values;
    }
}
