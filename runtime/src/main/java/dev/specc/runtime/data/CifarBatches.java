package dev.specc.runtime.data;

import dev.specc.config.DataLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CIFAR-10 binary version: records of one label byte and 3072 pixel bytes, a 32x32 plane
 * per channel (red, green, blue), in data_batch_1..5.bin and test_batch.bin.
 */
public final class CifarBatches {
    public static final List<String> STANDARD_CLASSES = DataLocation.CIFAR_STANDARD_CLASSES;
    public static final List<String> TRAINING_FILES = DataLocation.CIFAR_TRAINING_FILES;
    public static final String TEST_FILE = DataLocation.CIFAR_TEST_FILE;
    private static final int SIDE = 32;
    private static final int PLANE = SIDE * SIDE;
    private static final int RECORD = 1 + 3 * PLANE;

    private CifarBatches() {
    }

    /** Names from batches.meta.txt (one a line) when present, else the standard ten (as the one pass counts them). */
    public static List<String> classNames(Path dir) throws DataException {
        try {
            return DataLocation.cifarClassNames(dir);
        } catch (IOException e) {
            throw new DataException(e.getMessage(), e);
        }
    }

    /** The records of {@code files}, in order, converted from CHW to HWC. */
    public static ImageSet read(List<Path> files, List<String> classNames) throws DataException {
        List<byte[]> contents = new ArrayList<>();
        int count = 0;
        for (Path file : files) {
            byte[] bytes = bytes(file);
            if (bytes.length == 0 || bytes.length % RECORD != 0) {
                throw new DataException(file + ": " + bytes.length + " bytes is not a whole number of CIFAR-10 records ("
                        + RECORD + " bytes each)");
            }
            contents.add(bytes);
            count += bytes.length / RECORD;
        }
        byte[] pixels = new byte[count * 3 * PLANE];
        int[] labels = new int[count];
        int example = 0;
        for (int f = 0; f < files.size(); f++) {
            byte[] bytes = contents.get(f);
            for (int start = 0; start < bytes.length; start += RECORD, example++) {
                labels[example] = bytes[start] & 0xFF;
                if (labels[example] >= classNames.size()) {
                    throw new DataException(files.get(f) + ": label " + labels[example] + " in record "
                            + start / RECORD + " but only " + classNames.size() + " classes");
                }
                int out = example * 3 * PLANE;
                for (int p = 0; p < PLANE; p++) {
                    for (int channel = 0; channel < 3; channel++) {
                        pixels[out + 3 * p + channel] = bytes[start + 1 + channel * PLANE + p];
                    }
                }
            }
        }
        return new ImageSet(new ImageShape(SIDE, SIDE, 3), pixels, labels, classNames, 0);
    }

    private static byte[] bytes(Path file) throws DataException {
        if (!Files.isRegularFile(file)) throw new DataException(file + ": no such file");
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
