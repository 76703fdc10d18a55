package dev.specc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.specc.weights.WeightFormat;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WeightFiles.list: each format's tensors without their values, as read() names and shapes them, with the stored dtype. */
class WeightFilesListTest {
    private static final Path PYTORCH = Path.of("src/test/resources/pytorch");
    private static final Path KERAS = Path.of("src/test/resources/keras-h5");

    /** "name [shape] dtype" per tensor, in the file's order. */
    private static List<String> rows(WeightFiles.Listing listing) {
        return listing.tensors().stream().map(t -> t.name() + " " + Arrays.toString(t.shape()) + " " + t.dtype()).toList();
    }

    /** "name [shape]" of what list() and read() give, which must agree. */
    private static void assertListAgreesWithRead(Path file) throws IOException {
        Map<String, String> listed = new LinkedHashMap<>();
        for (StoredTensor t : WeightFiles.list(file).tensors()) listed.put(t.name(), Arrays.toString(t.shape()));
        Map<String, String> read = new LinkedHashMap<>();
        WeightFiles.read(file).tensors().forEach((name, t) -> read.put(name, Arrays.toString(t.shape())));
        assertEquals(List.copyOf(read.entrySet()), List.copyOf(listed.entrySet()), file.toString());
    }

    @Test
    void aPyTorchCheckpointIsListedWithTheTypesItStores() throws IOException {
        WeightFiles.Listing views = WeightFiles.list(PYTORCH.resolve("views.pt"));
        assertEquals(WeightFormat.PYTORCH, views.format());
        assertEquals(List.of("f32 [2, 3] float32", "f32_offset_view [3, 3] float32", "f32_transposed [5, 6] float32",
                "f32_step [3, 2] float32", "f16 [3, 2] float16", "bf16 [4] bfloat16", "f64 [2, 2] float64", "i64 [2, 2] int64",
                "scalar [] float32"), rows(views));
        assertListAgreesWithRead(PYTORCH.resolve("views.pt"));
        assertListAgreesWithRead(PYTORCH.resolve("small.pt"));
        assertListAgreesWithRead(PYTORCH.resolve("tiny_resnet.pt"));
    }

    @Test
    void aSafetensorsFileIsListedFromItsHeaderInFileOrder(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("w.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b/kernel", Tensor.ofFloats(new long[] {2, 3}, new float[6]));
        tensors.put("a/step", Tensor.ofLongs(new long[] {}, 7));
        tensors.put("a/mean", Tensor.ofDoubles(new long[] {4}, new double[4]));
        tensors.put("c/count", Tensor.ofInts(new long[] {1}, 3));
        Safetensors.write(file, tensors);
        WeightFiles.Listing listing = WeightFiles.list(file);
        assertEquals(WeightFormat.SAFETENSORS, listing.format());
        // The reference order: descending dtype alignment (I64, F64, F32, I32), then by name.
        assertEquals(List.of("a/step [] int64", "a/mean [4] float64", "b/kernel [2, 3] float32", "c/count [1] int32"),
                rows(listing));
        assertListAgreesWithRead(file);
    }

    @Test
    void aKerasH5FileIsListedUnderSpeccNamesWithItsDatasetsTypes(@TempDir Path dir) throws IOException {
        WeightFiles.Listing model = WeightFiles.list(KERAS.resolve("tiny_model.h5"));
        assertEquals(WeightFormat.HDF5, model.format());
        assertEquals(List.of("conv1_conv/kernel [3, 3, 2, 3] float32", "conv1_conv/bias [3] float32", "conv1_bn/gamma [3] float32",
                "conv1_bn/beta [3] float32", "conv1_bn/moving_mean [3] float32", "conv1_bn/moving_variance [3] float32",
                "predictions/kernel [3, 3] float32", "predictions/bias [3] float32"), rows(model));
        assertListAgreesWithRead(KERAS.resolve("tiny_model.h5"));
        assertListAgreesWithRead(KERAS.resolve("tiny_weights.h5"));

        Path file = dir.resolve("typed.h5");
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            hdf.putAttribute("layer_names", new String[] {"dense"});
            WritableGroup layer = hdf.putGroup("dense");
            layer.putAttribute("weight_names", new String[] {"dense/kernel:0", "dense/count:0"});
            WritableGroup scope = layer.putGroup("dense");
            scope.putDataset("kernel:0", new double[][] {{1, 2}, {3, 4}, {5, 6}});
            scope.putDataset("count:0", new int[] {1, 2});
        }
        assertEquals(List.of("dense/kernel [3, 2] float64", "dense/count [2] int32"), rows(WeightFiles.list(file)));
    }
}
