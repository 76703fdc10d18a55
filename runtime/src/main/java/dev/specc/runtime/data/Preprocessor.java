package dev.specc.runtime.data;

import dev.specc.config.DataConfig;
import dev.specc.lower.LoweringOptions;
import java.util.SplittableRandom;

/**
 * Turns one stored example into model input: channel conversion, bilinear resize to the input
 * size, augmentation (training only, drawn from (seed, epoch, example index)), then
 * rescaling and per-channel normalisation (or a preset's), with the constants an exported graph
 * uses ({@link LoweringOptions.Preprocessing#of}). Stateless, so any thread may use it.
 */
final class Preprocessor {
    private final ImageShape input;
    private final boolean training;
    private final long seed;
    private final Augmentation augmentation;
    private final LoweringOptions.Preprocessing scaling;

    Preprocessor(ImageShape input, DataConfig config, boolean training) {
        this.input = input;
        this.training = training && config.augment().enabled();
        this.seed = config.seed();
        this.augmentation = new Augmentation(config.augment());
        this.scaling = LoweringOptions.Preprocessing.of(config, input.channels());
    }

    /** Example {@code index}'s stored pixels {@code raw} (of shape {@code stored}) as model input at {@code out[offset]}. */
    void prepare(byte[] raw, ImageShape stored, int index, int epoch, float[] out, int offset) {
        float[] image = Pixels.toFloats(raw, 0, stored.values());
        image = Pixels.convertChannels(image, stored.pixels(), stored.channels(), input.channels());
        image = Pixels.resize(image, stored.height(), stored.width(), input.channels(), input.height(), input.width());
        if (training) {
            SplittableRandom random = new SplittableRandom(Seeds.derive(Seeds.AUGMENT, seed, epoch, index));
            image = augmentation.apply(augmentation.sample(input.height(), input.width(), random), image, input);
        }
        scaling.apply(image, input.channels(), out, offset);
    }
}
