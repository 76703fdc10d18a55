package dev.specc.runtime.data;

import java.util.List;

/**
 * Images held in memory as uint8 HWC pixels, all of one shape, with int labels indexing
 * {@code classNames}. {@code skipped} counts the source files that could not be decoded.
 */
public record ImageSet(ImageShape shape, byte[] pixels, int[] labels, List<String> classNames, int skipped) {

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

    public int size() {
        return labels.length;
    }

    public int classCount() {
        return classNames.size();
    }

    /** The examples at {@code indices}, in that order; none of this set's skipped files. */
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

    public int[] countPerClass() {
        int[] counts = new int[classNames.size()];
        for (int label : labels) counts[label]++;
        return counts;
    }
}
