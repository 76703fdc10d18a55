package dev.specc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.specc.config.AugmentConfig;
import dev.specc.config.FillMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationTest {
    private static final ImageShape SHAPE = new ImageShape(5, 6, 3);

    /** Every value distinct, so any misplaced pixel shows. */
    private static float[] asymmetric() {
        float[] image = new float[SHAPE.values()];
        for (int i = 0; i < image.length; i++) image[i] = i * 1.5f + 1;
        return image;
    }

    private static float at(float[] image, int row, int col, int channel) {
        return image[(row * SHAPE.width() + col) * SHAPE.channels() + channel];
    }

    private static Augmentation with(FillMode fill, int crop) {
        return new Augmentation(new AugmentConfig(true, true, 30, 0.2, 0.2, 0.2, 10, crop, fill));
    }

    private static Augmentation.Transform shift(double rows, double cols) {
        return new Augmentation.Transform(0, rows, cols, 0, 1, 1, false, false, 0, 0);
    }

    @Test
    void horizontalFlipIsTheMirrorImage() {
        float[] image = asymmetric();
        Augmentation.Transform flip = new Augmentation.Transform(0, 0, 0, 0, 1, 1, true, false, 0, 0);
        float[] flipped = with(FillMode.NEAREST, 0).apply(flip, image, SHAPE);
        float[] mirrored = new float[image.length];
        for (int r = 0; r < SHAPE.height(); r++) {
            for (int c = 0; c < SHAPE.width(); c++) {
                for (int k = 0; k < 3; k++) {
                    mirrored[(r * SHAPE.width() + c) * 3 + k] = at(image, r, SHAPE.width() - 1 - c, k);
                }
            }
        }
        assertArrayEquals(mirrored, flipped);
    }

    @Test
    void noRotationAndNoShiftIsTheIdentity() {
        float[] image = asymmetric();
        assertArrayEquals(image, with(FillMode.CONSTANT, 0).apply(Augmentation.Transform.IDENTITY, image, SHAPE));
        assertArrayEquals(image, with(FillMode.CONSTANT, 0).apply(shift(0, 0), image, SHAPE));
    }

    @Test
    void shiftMovesContentByWholePixelsAndFillsTheEdge() {
        float[] image = asymmetric();
        float[] shifted = with(FillMode.CONSTANT, 0).apply(shift(1, 2), image, SHAPE);
        for (int r = 0; r < SHAPE.height(); r++) {
            for (int c = 0; c < SHAPE.width(); c++) {
                boolean inside = r + 1 < SHAPE.height() && c + 2 < SHAPE.width();
                float expected = inside ? at(image, r + 1, c + 2, 1) : 0;
                assertEquals(expected, at(shifted, r, c, 1), "pixel " + r + "," + c);
            }
        }
        float[] nearest = with(FillMode.NEAREST, 0).apply(shift(0, -2), image, SHAPE);
        assertEquals(at(image, 3, 0, 0), at(nearest, 3, 0, 0));
        assertEquals(at(image, 3, 0, 0), at(nearest, 3, 2, 0));
        assertEquals(at(image, 3, 1, 0), at(nearest, 3, 3, 0));
        float[] wrapped = with(FillMode.WRAP, 0).apply(shift(0, -2), image, SHAPE);
        assertEquals(at(image, 3, 4, 0), at(wrapped, 3, 0, 0));
        float[] reflected = with(FillMode.REFLECT, 0).apply(shift(0, -2), image, SHAPE);
        assertEquals(at(image, 3, 1, 0), at(reflected, 3, 0, 0));
        assertEquals(at(image, 3, 0, 0), at(reflected, 3, 1, 0));
    }

    @Test
    void halfTurnAboutTheCentreReversesTheImage() {
        float[] image = asymmetric();
        Augmentation.Transform turn = new Augmentation.Transform(180, 0, 0, 0, 1, 1, false, false, 0, 0);
        float[] turned = with(FillMode.CONSTANT, 0).apply(turn, image, SHAPE);
        for (int r = 0; r < SHAPE.height(); r++) {
            for (int c = 0; c < SHAPE.width(); c++) {
                assertEquals(at(image, SHAPE.height() - 1 - r, SHAPE.width() - 1 - c, 0), at(turned, r, c, 0), 1e-4);
            }
        }
    }

    @Test
    void randomCropIsAWindowOfTheZeroPaddedImage() {
        float[] image = asymmetric();
        Augmentation.Transform corner = new Augmentation.Transform(0, 0, 0, 0, 1, 1, false, false, 0, 3);
        float[] cropped = with(FillMode.NEAREST, 2).apply(corner, image, SHAPE);
        assertEquals(0, at(cropped, 1, 0, 0));
        assertEquals(0, at(cropped, 2, 5, 0));
        assertEquals(at(image, 2, 1, 1), at(cropped, 4, 0, 1));
    }

    @Test
    void samplingIsAFunctionOfTheSeed() {
        Augmentation augmentation = with(FillMode.REFLECT, 4);
        assertEquals(augmentation.sample(5, 6, new SplittableRandom(9)), augmentation.sample(5, 6, new SplittableRandom(9)));
        assertNotEquals(augmentation.sample(5, 6, new SplittableRandom(9)), augmentation.sample(5, 6, new SplittableRandom(10)));
    }
}
