package dev.specc.runtime.data;

import java.util.List;

/**
 * Examples held in one array as uint8 HWC pixels, all of one shape, with int labels indexing
 * {@code classNames}: the sources that are small by nature (IDX, CIFAR-10 batches, a few images
 * to predict). {@code skipped} counts the source files that could not be decoded.
 */
public record ImageSet(ImageShape shape, byte[] pixels, int[] labels, List<String> classNames, int skipped)
        implements Examples {

    public ImageSet {
        classNames = List.copyOf(classNames);
        if (pixels.length != (long) labels.length * shape.values()) {
            throw new IllegalArgumentException(labels.length + " labels but " + pixels.length
                    + " bytes of " + shape + " pixels");
        }
    }

    public static ImageSet empty(ImageShape shape, List<String> classNames) {
        return new ImageSet(shape, new byte[0], new int[0], classNames, 0);
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public void read(int index, byte[] out, int offset) {
        System.arraycopy(pixels, index * shape.values(), out, offset, shape.values());
    }

    @Override
    public String describe(int index) {
        return "example " + index;
    }

    @Override
    public boolean inMemory() {
        return true;
    }

    /** The examples at {@code indices}, in that order; none of this set's skipped files. */
    @Override
    public ImageSet select(int[] indices) {
        int values = shape.values();
        byte[] chosenPixels = new byte[indices.length * values];
        int[] chosenLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * values, chosenPixels, i * values, values);
            chosenLabels[i] = labels[indices[i]];
        }
        return new ImageSet(shape, chosenPixels, chosenLabels, classNames, 0);
    }

    public ImageSet withSkipped(int count) {
        return new ImageSet(shape, pixels, labels, classNames, count);
    }

    public ImageSet withClassNames(List<String> names) {
        return new ImageSet(shape, pixels, labels, names, skipped);
    }
}
