package dev.specc.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The image/mask pairs of a segmentation data folder, found by listing it (no image is read), in
 * one of three layouts:
 * <ul>
 *   <li>folders: {@code images/} and {@code masks/} with matching file stems ({@code a.jpg} and
 *       {@code a.png}), either in the folder itself (no test split) or in {@code train/} and
 *       {@code test/} (or {@code val/}) subfolders;</li>
 *   <li>lists, as fyu/drn prepares Cityscapes: {@code train_images.txt} and
 *       {@code train_labels.txt}, one path a line relative to the folder, the test split from
 *       {@code test_*.txt} or else {@code val_*.txt};</li>
 *   <li>Pascal VOC: {@code ImageSets/Segmentation/train.txt} of ids, {@code JPEGImages/ID.jpg},
 *       {@code SegmentationClass/ID.png}; the test split is {@code val.txt}.</li>
 * </ul>
 */
public final class SegmentationLayout {
    public record Pair(Path image, Path mask) {
    }

    /** The pairs of the training and test splits (test empty when the layout has none), and the layout's name. */
    public record Listing(String layout, List<Pair> train, List<Pair> test, String testFrom) {
    }

    private static final List<String> IMAGE_SUFFIXES = List.of(".png", ".jpg", ".jpeg");

    private SegmentationLayout() {
    }

    /** Lists the pairs; the message of the exception says what is missing or wrong. */
    public static Listing list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException(dir + " is not a folder");
        if (Files.isDirectory(dir.resolve("images")) && Files.isDirectory(dir.resolve("masks"))) {
            return new Listing("images/ and masks/", folderPairs(dir), List.of(), null);
        }
        if (Files.isDirectory(dir.resolve("train").resolve("images"))) {
            Path test = Files.isDirectory(dir.resolve("test").resolve("images")) ? dir.resolve("test")
                    : Files.isDirectory(dir.resolve("val").resolve("images")) ? dir.resolve("val") : null;
            return new Listing("train/ and " + (test == null ? "no test/" : test.getFileName() + "/") + " with images/ and masks/",
                    folderPairs(dir.resolve("train")), test == null ? List.of() : folderPairs(test),
                    test == null ? null : test.toString());
        }
        if (Files.isRegularFile(dir.resolve("train_images.txt"))) {
            String testSplit = Files.isRegularFile(dir.resolve("test_images.txt")) && Files.isRegularFile(dir.resolve("test_labels.txt"))
                    ? "test" : Files.isRegularFile(dir.resolve("val_images.txt")) ? "val" : null;
            return new Listing("list files", listPairs(dir, "train"), testSplit == null ? List.of() : listPairs(dir, testSplit),
                    testSplit == null ? null : dir.resolve(testSplit + "_images.txt").toString());
        }
        Path sets = dir.resolve("ImageSets").resolve("Segmentation");
        if (Files.isRegularFile(sets.resolve("train.txt"))) {
            boolean val = Files.isRegularFile(sets.resolve("val.txt"));
            return new Listing("Pascal VOC", vocPairs(dir, "train"), val ? vocPairs(dir, "val") : List.of(),
                    val ? sets.resolve("val.txt").toString() : null);
        }
        throw new IOException(dir + ": no segmentation layout: expected images/ and masks/ (or train/ and test/ with them), "
                + "train_images.txt with train_labels.txt, or Pascal VOC's ImageSets/Segmentation/train.txt");
    }

    /** What is wrong with the folder as a segmentation source, or null. */
    public static String problem(Path dir) {
        try {
            Listing listing = list(dir);
            return listing.train().isEmpty() ? dir + ": no training images (" + listing.layout() + ")" : null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** Whether {@code dir} looks like one of the layouts (for --data PATH). */
    public static boolean looksLike(Path dir) {
        return Files.isDirectory(dir.resolve("masks")) || Files.isDirectory(dir.resolve("train").resolve("masks"))
                || Files.isRegularFile(dir.resolve("train_labels.txt"))
                || Files.isDirectory(dir.resolve("SegmentationClass"));
    }

    private static List<Pair> folderPairs(Path dir) throws IOException {
        Path images = dir.resolve("images");
        Path masks = dir.resolve("masks");
        if (!Files.isDirectory(masks)) throw new IOException(dir + ": images/ has no masks/ beside it");
        List<Path> files;
        try (Stream<Path> listing = Files.list(images)) {
            files = listing.filter(p -> Files.isRegularFile(p) && hasImageSuffix(p)).sorted().toList();
        }
        List<Pair> pairs = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Path image : files) {
            String name = image.getFileName().toString();
            Path mask = masks.resolve(name.substring(0, name.lastIndexOf('.')) + ".png");
            if (Files.isRegularFile(mask)) pairs.add(new Pair(image, mask));
            else missing.add(name);
        }
        if (!missing.isEmpty()) {
            throw new IOException(masks + ": no mask for " + missing.size() + " of " + files.size() + " images (first: "
                    + missing.get(0) + ", whose mask would be " + stem(missing.get(0)) + ".png)");
        }
        return pairs;
    }

    private static List<Pair> listPairs(Path dir, String split) throws IOException {
        List<String> images = lines(dir.resolve(split + "_images.txt"));
        Path labelsFile = dir.resolve(split + "_labels.txt");
        if (!Files.isRegularFile(labelsFile)) throw new IOException(dir + ": " + split + "_images.txt has no " + split + "_labels.txt");
        List<String> labels = lines(labelsFile);
        if (images.size() != labels.size()) {
            throw new IOException(dir + ": " + split + "_images.txt lists " + images.size() + " images but " + split
                    + "_labels.txt " + labels.size() + " masks");
        }
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) pairs.add(new Pair(dir.resolve(images.get(i)), dir.resolve(labels.get(i))));
        return pairs;
    }

    private static List<Pair> vocPairs(Path dir, String split) throws IOException {
        List<Pair> pairs = new ArrayList<>();
        for (String id : lines(dir.resolve("ImageSets").resolve("Segmentation").resolve(split + ".txt"))) {
            pairs.add(new Pair(dir.resolve("JPEGImages").resolve(id + ".jpg"), dir.resolve("SegmentationClass").resolve(id + ".png")));
        }
        return pairs;
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static boolean hasImageSuffix(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return IMAGE_SUFFIXES.stream().anyMatch(name::endsWith);
    }

    private static String stem(String name) {
        return name.substring(0, name.lastIndexOf('.'));
    }
}
