package dev.specc.runtime.data;

/**
 * Height, width and channels of one image in HWC layout. Readers check their files' sizes and
 * {@code Prepared.inputShape} the model's input before making one: a shape outside these limits is a bug.
 */
public record ImageShape(int height, int width, int channels) {
    public ImageShape {
        if (height < 1 || width < 1 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("image shape must be HxWx1 or HxWx3, got " + height + "x" + width + "x" + channels);
        }
    }

    public int pixels() {
        return height * width;
    }

    public int values() {
        return height * width * channels;
    }

    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
