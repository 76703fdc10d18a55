package dev.specc.runtime.data;

import dev.specc.diag.UsageException;

/** Height, width and channels of one image in HWC layout. */
public record ImageShape(int height, int width, int channels) {
    public ImageShape {
        if (height < 1 || width < 1 || (channels != 1 && channels != 3)) {
            throw new UsageException("image shape must be HxWx1 or HxWx3, got " + height + "x" + width + "x" + channels);
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
