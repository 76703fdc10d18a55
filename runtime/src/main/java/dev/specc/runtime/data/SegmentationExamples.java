package dev.specc.runtime.data;

import dev.specc.config.DataConfig;
import dev.specc.lower.LoweringOptions;
import java.util.SplittableRandom;

/**
 * Turns pair {@code index} of a {@link SegmentationSet} into model input and per-pixel labels:
 * decode, the joint transform ({@link PairTransform}; augmented in training, drawn from (seed,
 * epoch, index)), then rescale and normalisation as for classification. Labels keep the mask's
 * values; {@code ignore_index} and nothing else may lie outside the classes (checked when the
 * set is loaded, and again here). Stateless, so any thread may use it.
 */
public final class SegmentationExamples {
    private final ImageShape input;
    private final DataConfig config;
    private final boolean training;
    private final float rescale;
    private final float[] mean;
    private final float[] std;

    public SegmentationExamples(ImageShape input, DataConfig config, boolean training) {
        this.input = input;
        this.config = config;
        this.training = training;
        LoweringOptions.Preprocessing scaling = LoweringOptions.Preprocessing.of(config, input.channels());
        this.rescale = scaling.rescale();
        this.mean = scaling.mean();
        this.std = scaling.std();
    }

    /** Writes example {@code index} at {@code slot} of a batch's image and label arrays. */
    public void prepare(SegmentationSet set, int index, int epoch, float[] images, int[] labels, int slot) throws DataException {
        var pair = set.pairs().get(index);
        PairDecoder.Image image = PairDecoder.image(pair.image(), input.channels());
        PairDecoder.Mask mask = PairDecoder.mask(pair.mask());
        if (image.height() != mask.height() || image.width() != mask.width()) {
            throw new DataException(pair.mask() + ": the mask is " + mask.height() + "x" + mask.width() + " but its image "
                    + pair.image() + " is " + image.height() + "x" + image.width());
        }
        SegmentationData.checkIndices(pair.mask(), mask.indices(), mask.width(), set.classNames().size(), config.segmentation().ignoreIndex());
        PairTransform transform = training
                ? PairTransform.sample(config, input.height(), input.width(),
                        new SplittableRandom(Seeds.derive(Seeds.AUGMENT, config.seed(), epoch, index)))
                : PairTransform.IDENTITY;
        float[] pixels = transform.image(image, input.channels(), input.height(), input.width());
        int[] classes = transform.mask(mask, input.height(), input.width(), config.segmentation().ignoreIndex());
        int offset = slot * input.values();
        for (int i = 0; i < pixels.length; i++) {
            int k = i % input.channels();
            images[offset + i] = (pixels[i] * rescale - mean[k]) / std[k];
        }
        System.arraycopy(classes, 0, labels, slot * input.pixels(), classes.length);
    }
}
