package dev.specc.runtime.io;

import dev.specc.runtime.io.pytorch.TorchCheckpoint;
import dev.specc.weights.WeightFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Reads a weight file of any format specc knows, told apart by its first bytes ({@link WeightFormat}). */
public final class WeightFiles {
    /** A file's tensors under its own names, in its own layout. */
    public record Contents(WeightFormat format, Map<String, Tensor> tensors) {
    }

    private WeightFiles() {
    }

    public static Contents read(Path file) throws IOException {
        WeightFormat format = WeightFormat.of(file);
        Map<String, Tensor> tensors = switch (format) {
            case SAFETENSORS -> Safetensors.read(file).tensors();
            case PYTORCH -> TorchCheckpoint.read(file);
            case HDF5 -> KerasH5Weights.read(file);
        };
        return new Contents(format, tensors);
    }
}
