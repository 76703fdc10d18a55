package dev.specc.runtime.io;

import dev.specc.runtime.io.pytorch.TorchCheckpoint;
import dev.specc.weights.WeightFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads a weight file of any format specc knows, told apart by its first bytes ({@link WeightFormat}). */
public final class WeightFiles {
    /** A file's tensors under its own names, in its own layout. */
    public record Contents(WeightFormat format, Map<String, Tensor> tensors) {
    }

    /** What a file holds, without the values: each tensor's name, shape and stored element type, in the file's order. */
    public record Listing(WeightFormat format, List<StoredTensor> tensors) {
    }

    private WeightFiles() {
    }

    /** Lists a file's tensors reading as little of it as its format allows (no tensor data). */
    public static Listing list(Path file) throws IOException {
        WeightFormat format = WeightFormat.of(file);
        List<StoredTensor> tensors = switch (format) {
            case SAFETENSORS -> Safetensors.list(file);
            case PYTORCH -> TorchCheckpoint.list(file);
            case HDF5 -> KerasH5Weights.list(file);
        };
        return new Listing(format, tensors);
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
