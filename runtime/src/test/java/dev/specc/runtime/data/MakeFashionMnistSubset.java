package dev.specc.runtime.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes data/fashion-mnist-subset: the first 300 training and first 100 test images of each
 * class, in file order, from a full Fashion-MNIST folder. Deterministic: the same input gives
 * byte-identical files. Usage: MakeFashionMnistSubset FULL_DIR OUT_DIR
 */
public final class MakeFashionMnistSubset {
    static final int TRAIN_PER_CLASS = 300;
    static final int TEST_PER_CLASS = 100;

    private MakeFashionMnistSubset() {
    }

    public static void main(String[] args) throws IOException, DataException {
        if (args.length != 2) {
            System.err.println("usage: MakeFashionMnistSubset FULL_FASHION_MNIST_DIR OUT_DIR");
            System.exit(2);
        }
        Path full = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        write(full, "train", TRAIN_PER_CLASS, out);
        write(full, "t10k", TEST_PER_CLASS, out);
    }

    private static void write(Path full, String prefix, int perClass, Path out) throws IOException, DataException {
        ImageSet all = IdxFiles.read(IdxFiles.imagesFile(full, prefix), IdxFiles.labelsFile(full, prefix),
                DataSources.FASHION_MNIST_CLASSES);
        ImageSet subset = all.select(firstOfEachClass(all, perClass));
        IdxWriter.writeImages(out.resolve(prefix + "-images-idx3-ubyte.gz"), subset.shape().height(),
                subset.shape().width(), subset.pixels());
        IdxWriter.writeLabels(out.resolve(prefix + "-labels-idx1-ubyte.gz"), subset.labels());
        System.out.println(prefix + ": " + subset.size() + " images");
    }

    /** Indices, in file order, of the first {@code perClass} examples of every class. */
    static int[] firstOfEachClass(ImageSet set, int perClass) {
        int[] taken = new int[set.classCount()];
        int[] chosen = new int[set.classCount() * perClass];
        int count = 0;
        for (int i = 0; i < set.size() && count < chosen.length; i++) {
            int label = set.labels()[i];
            if (taken[label] < perClass) {
                taken[label]++;
                chosen[count++] = i;
            }
        }
        if (count < chosen.length) throw new IllegalStateException("fewer than " + perClass + " examples of some class");
        return chosen;
    }
}
