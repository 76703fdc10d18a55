package dev.specc.config;

import dev.specc.diag.Diagnostics;
import dev.specc.ir.TensorShape;
import dev.specc.load.SMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The spec's {@code data:} section with every default filled in. {@code path}, {@code imageSize},
 * {@code colorMode}, {@code normalize} and {@code classNames} are null when not written:
 * a missing image size means the source's own (256x256 for folders, as in Keras) and a missing
 * colour mode means the model input's (see {@link #withModelChannels}). {@code hdf5} holds the hdf5
 * source's settings (defaults for the other sources, which do not read them); a missing {@code cache}
 * means the runtime chooses.
 */
public record DataConfig(Source source, String path, ImageSize imageSize, ColorMode colorMode,
                         double validationSplit, long seed, double rescale, Normalization normalize,
                         AugmentConfig augment, int workers, int prefetch, List<String> classNames, Hdf5Config hdf5,
                         Cache cache, SegmentationConfig segmentation) {

    /**
     * Where decoded examples are kept between epochs: nowhere ({@code none}: decoded again each
     * time), on the heap ({@code memory}) or in a memory-mapped file ({@code disk}). Null in a
     * config means not written: memory when the decoded set fits the runtime's budget, else none.
     */
    public enum Cache {
        NONE, MEMORY, DISK;

        public String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Source {
        FASHION_MNIST_SUBSET, FASHION_MNIST, MNIST, CIFAR10, FOLDER, IDX, HDF5,
        /** Image/mask pairs: see {@link SegmentationLayout}. */
        SEGMENTATION;

        public String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether the source has no default location, so {@code path} must be written. */
        public boolean needsPath() {
            return this == CIFAR10 || this == FOLDER || this == IDX || this == HDF5 || this == SEGMENTATION;
        }
    }

    public record ImageSize(int height, int width) {
        @Override
        public String toString() {
            return height + "x" + width;
        }
    }

    public static final double DEFAULT_VALIDATION_SPLIT = 0.1;
    public static final long DEFAULT_SEED = 1337;
    public static final double DEFAULT_RESCALE = 1.0 / 255;
    public static final int DEFAULT_PREFETCH = 4;

    public DataConfig {
        classNames = classNames == null ? null : List.copyOf(classNames);
        hdf5 = hdf5 == null ? Hdf5Config.defaults() : hdf5;
        if (segmentation == null) segmentation = SegmentationConfig.DEFAULTS;
    }

    /** A configuration with the hdf5 settings' defaults, the cache the runtime chooses and no segmentation settings. */
    public DataConfig(Source source, String path, ImageSize imageSize, ColorMode colorMode, double validationSplit,
                      long seed, double rescale, Normalization normalize, AugmentConfig augment, int workers,
                      int prefetch, List<String> classNames) {
        this(source, path, imageSize, colorMode, validationSplit, seed, rescale, normalize, augment, workers, prefetch,
                classNames, null, null, null);
    }

    /** Whether examples are image/mask pairs, labelled per pixel. */
    public boolean isSegmentation() {
        return source == Source.SEGMENTATION;
    }

    /** Every default: the shipped Fashion-MNIST subset, 10% validation, seed 1337, pixels / 255. */
    public static DataConfig defaults() {
        return new DataConfig(Source.FASHION_MNIST_SUBSET, null, null, null, DEFAULT_VALIDATION_SPLIT,
                DEFAULT_SEED, DEFAULT_RESCALE, null, AugmentConfig.NONE, Runtime.getRuntime().availableProcessors(),
                DEFAULT_PREFETCH, null, null, null, null);
    }

    /**
     * Reads {@code data:} (null when the spec has none); numbers may be expressions over the
     * spec's hyperparameters. Problems are reported to {@code diagnostics} at the value at fault;
     * the result then holds defaults in their place and must not be used.
     */
    public static DataConfig read(SMap dataSection, Map<String, Object> hyperparams, Diagnostics diagnostics) {
        if (dataSection == null) return defaults();
        return new DataSectionReader(dataSection, hyperparams, diagnostics).read();
    }

    /** This configuration with the colour mode taken from the model input when none is written. */
    public DataConfig withModelChannels(int channels) {
        if (colorMode != null) return this;
        return new DataConfig(source, path, imageSize, ColorMode.ofChannels(channels), validationSplit, seed,
                rescale, normalize, augment, workers, prefetch, classNames, hdf5, cache, segmentation);
    }

    /**
     * Reports what can only be checked against the model: normalisation entries per channel.
     * Returns whether everything fits.
     */
    public boolean checkAgainstModel(TensorShape input, Diagnostics diagnostics) {
        if (normalize == null || normalize.fits(input.channels())) return true;
        if (normalize.preset() != null) {
            diagnostics.error(normalize.pos(), "data.normalize: " + normalize.preset().spelling() + " holds ImageNet's "
                    + "statistics of RGB images, but the model input is " + input + " (" + input.channels()
                    + (input.channels() == 1 ? " channel" : " channels") + "); use tf (-1..1, any channels) or mean: and std:");
            return false;
        }
        diagnostics.error(normalize.pos(), "data.normalize: mean and std need 1 or " + input.channels()
                + " entries for a model input of " + input + ", got " + normalize.mean().size() + " and "
                + normalize.std().size());
        return false;
    }
}
