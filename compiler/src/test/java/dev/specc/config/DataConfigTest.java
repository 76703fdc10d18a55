package dev.specc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.diag.Diagnostics;
import dev.specc.ir.TensorShape;
import dev.specc.load.SMap;
import dev.specc.load.YamlLoader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataConfigTest {
    private final Diagnostics diagnostics = new Diagnostics();

    private DataConfig read(String yaml, Map<String, Object> hyperparams) {
        SMap root = (SMap) new YamlLoader(diagnostics).parse("spec.yaml", yaml.getBytes(StandardCharsets.UTF_8));
        return DataConfig.read((SMap) root.get("data"), hyperparams, diagnostics);
    }

    private List<String> errors() {
        return diagnostics.sorted().stream().map(Object::toString).toList();
    }

    @Test
    void absentSectionGivesTheDefaults() {
        DataConfig config = DataConfig.read(null, Map.of(), diagnostics);
        assertEquals(DataConfig.Source.FASHION_MNIST_SUBSET, config.source());
        assertEquals(0.1, config.validationSplit());
        assertEquals(1337, config.seed());
        assertEquals(1.0 / 255, config.rescale());
        assertEquals(4, config.prefetch());
        assertEquals(Runtime.getRuntime().availableProcessors(), config.workers());
        assertNull(config.colorMode());
        assertNull(config.cache(), "not written: the runtime chooses by size");
        assertEquals(ColorMode.GRAYSCALE, config.withModelChannels(1).colorMode());
    }

    @Test
    void everyKeyIsRead() {
        DataConfig config = read("""
                data:
                  source: folder
                  path: pics
                  image_size: [size, size * 2]
                  color_mode: rgb
                  validation_split: 0.25
                  seed: 7
                  rescale: 1
                  normalize: {mean: [0.5, 0.4, 0.3], std: 0.2}
                  augment: {horizontal_flip: true, rotation: 15, width_shift: 0.1, zoom: 0.2, shear: 5,
                            random_crop: 4, fill_mode: reflect}
                  workers: 3
                  prefetch: 2
                  class_names: [cat, dog]
                  cache: disk
                """, Map.of("size", 32L));
        assertEquals(List.of(), errors());
        assertEquals(DataConfig.Cache.DISK, config.cache());
        assertEquals(DataConfig.Source.FOLDER, config.source());
        assertEquals(new DataConfig.ImageSize(32, 64), config.imageSize());
        assertEquals(ColorMode.RGB, config.colorMode());
        assertEquals(0.25, config.validationSplit());
        assertEquals(List.of(0.2), config.normalize().std());
        assertEquals(new AugmentConfig(true, false, 15, 0.1, 0, 0.2, 5, 4, FillMode.REFLECT), config.augment());
        assertEquals(List.of("cat", "dog"), config.classNames());
        assertEquals(3, config.workers());
    }

    @Test
    void outOfRangeValuesAreLocated() {
        read("""
                data:
                  validation_split: 1.5
                  image_size: 0
                  augment: {zoom: 1.2, random_crop: -1}
                  workers: 0
                """, Map.of());
        assertEquals(List.of(
                "spec.yaml:2:21: error: data.validation_split: must be at least 0 and less than 1, got 1.5",
                "spec.yaml:3:15: error: data.image_size: sides must be 1 to 16384 pixels, got 0x0",
                "spec.yaml:4:19: error: data.augment.zoom: must be a fraction from 0 to less than 1, got 1.2",
                "spec.yaml:4:37: error: data.augment.random_crop: must be 0 or more pixels, got -1",
                "spec.yaml:5:12: error: data.workers: must be 1 to 1024, got 0"), errors());
    }

    @Test
    void expressionErrorsAndMissingPathsAreLocated() {
        read("""
                data:
                  source: idx
                  seed: seed_base +
                """, Map.of("seed_base", 3L));
        List<String> errors = errors();
        assertEquals(2, errors.size(), errors.toString());
        assertEquals("spec.yaml:2:11: error: data.path: source idx needs a path", errors.get(0));
        assertEquals("spec.yaml:3:", errors.get(1).substring(0, 12));
    }

    @Test
    void normalizationMustFitTheModelChannels() {
        DataConfig config = read("data:\n  normalize: {mean: [0.1, 0.2, 0.3]}\n", Map.of());
        assertEquals(List.of(), errors());
        assertFalse(config.checkAgainstModel(TensorShape.of(new int[] {28, 28, 1}), diagnostics));
        assertEquals(List.of("spec.yaml:2:14: error: data.normalize: mean and std need 1 or 1 entries for a model "
                + "input of 28x28x1, got 3 and 1"), errors());
    }

    @Test
    void presetsAreKerasPreprocessInputModes() {
        DataConfig torch = read("data:\n  normalize: torch\n", Map.of());
        assertEquals(List.of(), errors());
        assertEquals(Normalization.Preset.TORCH, torch.normalize().preset());
        assertEquals(1.0, torch.rescale(), "a preset replaces the default 1/255");
        assertEquals("2:14", torch.normalize().pos().line() + ":" + torch.normalize().pos().column());
        assertEquals(Normalization.Preset.CAFFE, read("data:\n  normalize: caffe\n", Map.of()).normalize().preset());
        assertEquals(Normalization.Preset.TF, read("data:\n  normalize: tf\n", Map.of()).normalize().preset());
        assertEquals(List.of(), errors());
    }

    @Test
    void aPresetWithRescaleIsAnErrorAtRescale() {
        read("data:\n  rescale: 0.5\n  normalize: tf\n", Map.of());
        assertEquals(List.of("spec.yaml:2:12: error: data.rescale: normalize: tf takes the 0-255 pixels and scales them "
                + "itself; remove rescale"), errors());
    }

    @Test
    void anUnknownPresetSuggestsTheClosest() {
        read("data:\n  normalize: torc\n", Map.of());
        assertEquals(List.of("spec.yaml:2:14: error: data.normalize: unknown value 'torc' (did you mean 'torch'?); "
                + "allowed: caffe, torch, tf"), errors());
    }

    @Test
    void caffeAndTorchNeedRgbInputWhileTfFitsGrey() {
        TensorShape grey = TensorShape.of(new int[] {28, 28, 1});
        for (String preset : List.of("caffe", "torch")) {
            Diagnostics d = new Diagnostics();
            SMap root = (SMap) new YamlLoader(d).parse("spec.yaml", ("data:\n  normalize: " + preset + "\n").getBytes(StandardCharsets.UTF_8));
            assertFalse(DataConfig.read((SMap) root.get("data"), Map.of(), d).checkAgainstModel(grey, d));
            assertEquals(List.of("spec.yaml:2:14: error: data.normalize: " + preset + " holds ImageNet's statistics of RGB "
                    + "images, but the model input is 28x28x1 (1 channel); use tf (-1..1, any channels) or mean: and std:"),
                    d.sorted().stream().map(Object::toString).toList());
        }
        DataConfig tf = read("data:\n  normalize: tf\n", Map.of());
        assertTrue(tf.checkAgainstModel(grey, diagnostics));
        assertTrue(read("data:\n  normalize: caffe\n", Map.of()).checkAgainstModel(TensorShape.of(new int[] {8, 8, 3}), diagnostics));
        assertEquals(List.of(), errors());
    }

    @Test
    void anUnknownCacheIsLocatedWithTheClosestChoice() {
        DataConfig config = read("""
                data:
                  cache: dsik
                """, Map.of());
        assertEquals(List.of("spec.yaml:2:10: error: data.cache: unknown value 'dsik' (did you mean 'disk'?); "
                + "allowed: none, memory, disk"), errors());
        assertNull(config.cache());
    }

    /** A segmentation source streams its pairs without a cache, so data.cache there is said to be ignored. */
    @Test
    void aCacheWithASegmentationSourceIsIgnoredWithAWarning() {
        DataConfig config = read("""
                data:
                  source: segmentation
                  path: pairs
                  class_names: [background, shape]
                  cache: disk
                """, Map.of());
        assertEquals(List.of(), errors());
        assertEquals(List.of("spec.yaml:5:10: warning: data.cache: image/mask pairs are decoded and augmented batch by batch, "
                + "never cached; ignored by source segmentation"),
                diagnostics.warnings().stream().map(Object::toString).toList());
        assertTrue(config.isSegmentation());
    }
}
