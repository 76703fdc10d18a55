package dev.specc.config;

/**
 * Random training transforms with Keras ImageDataGenerator's meaning: rotation and shear in
 * degrees (+-), shifts as fractions of width and height (+-), zoom as a fraction (+-), and a
 * CIFAR-style random crop that pads by {@code randomCrop} zero pixels and crops back.
 */
public record AugmentConfig(boolean horizontalFlip, boolean verticalFlip, double rotation, double widthShift,
                      double heightShift, double zoom, double shear, int randomCrop, FillMode fillMode) {

    public static final AugmentConfig NONE = new AugmentConfig(false, false, 0, 0, 0, 0, 0, 0, FillMode.NEAREST);

    public boolean enabled() {
        return horizontalFlip || verticalFlip || randomCrop > 0 || hasAffine();
    }

    public boolean hasAffine() {
        return rotation != 0 || widthShift != 0 || heightShift != 0 || zoom != 0 || shear != 0;
    }
}
