package dev.specc.config;

/**
 * The hdf5 source's own settings: the test file ({@code data.test_path}, null when there is none)
 * and the names of the datasets ({@code data.datasets}), by default those of the ResNet50 SIGNS
 * tutorial's {@code train_signs.h5} / {@code test_signs.h5}.
 */
public record Hdf5Config(String testPath, String trainImages, String trainLabels, String testImages, String testLabels,
                         String classes, boolean classesWritten) {
    public static final String TRAIN_IMAGES = "train_set_x";
    public static final String TRAIN_LABELS = "train_set_y";
    public static final String TEST_IMAGES = "test_set_x";
    public static final String TEST_LABELS = "test_set_y";
    public static final String CLASSES = "list_classes";

    public static Hdf5Config defaults() {
        return new Hdf5Config(null, TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS, CLASSES, false);
    }
}
