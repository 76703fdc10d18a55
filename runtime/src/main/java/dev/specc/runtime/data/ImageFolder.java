package dev.specc.runtime.data;

import dev.specc.config.ColorMode;
import dev.specc.config.DataConfig;
import dev.specc.config.DataLocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * A folder of images with Keras' {@code image_dataset_from_directory} layout: one subfolder per
 * class, classes in sorted name order (or as {@code class_names} lists them), the class's
 * .jpg/.jpeg/.png files (any case, in subfolders too) in sorted path order.
 */
public final class ImageFolder {
    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png");

    private ImageFolder() {
    }

    /**
     * Decodes every image on {@code workers} threads, resized to {@code size} in {@code mode}.
     * A file that cannot be decoded is skipped, counted in {@link ImageSet#skipped()}, and
     * described by path in {@code warnings}.
     */
    public static ImageSet read(Path dir, DataConfig.ImageSize size, ColorMode mode, List<String> classNames,
                                int workers, List<String> warnings) throws DataException {
        List<String> classes = classNames != null ? classNames : classFolders(dir);
        if (classes.isEmpty()) throw new DataException(dir + ": no class subfolders (one folder per class is expected)");
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int label = 0; label < classes.size(); label++) {
            Path classDir = dir.resolve(classes.get(label));
            if (!Files.isDirectory(classDir)) {
                throw new DataException(classDir + ": no such folder for class '" + classes.get(label) + "'");
            }
            for (Path file : imageFiles(classDir)) {
                files.add(file);
                labels.add(label);
            }
        }
        if (files.isEmpty()) throw new DataException(dir + ": no .jpg, .jpeg or .png files in the class folders");
        return decodeAll(files, labels, new ImageShape(size.height(), size.width(), mode.channels()), classes,
                workers, warnings);
    }

    static List<String> classFolders(Path dir) throws DataException {
        try {
            return DataLocation.classFolders(dir);
        } catch (IOException e) {
            throw new DataException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    private static List<Path> imageFiles(Path classDir) throws DataException {
        try (Stream<Path> tree = Files.walk(classDir)) {
            return tree.filter(Files::isRegularFile).filter(ImageFolder::isImageName)
                    .sorted((a, b) -> classDir.relativize(a).toString().compareTo(classDir.relativize(b).toString()))
                    .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DataException(classDir + ": cannot list: " + e.getMessage(), e);
        }
    }

    private static boolean isImageName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /**
     * Decodes the given files, in order, to {@code shape}; each image's label is its file's index,
     * so callers can tell which files were unreadable (skipped, with a warning naming them).
     */
    public static ImageSet decodeFiles(List<Path> files, ImageShape shape, int workers, List<String> warnings)
            throws DataException {
        List<Integer> indices = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            indices.add(i);
            names.add(files.get(i).toString());
        }
        return decodeAll(files, indices, shape, names, workers, warnings);
    }

    private static ImageSet decodeAll(List<Path> files, List<Integer> labels, ImageShape shape, List<String> classes,
                                      int workers, List<String> warnings) throws DataException {
        ImageDecoder decoder = new ImageDecoder(shape.height(), shape.width(), ColorMode.ofChannels(shape.channels()));
        ExecutorService pool = Executors.newFixedThreadPool(workers, DaemonThreads.named("specc-decode"));
        try {
            List<Future<byte[]>> decoded = new ArrayList<>();
            for (Path file : files) decoded.add(pool.submit(() -> decoder.decode(file)));
            byte[] pixels = new byte[files.size() * shape.values()];
            int[] kept = new int[files.size()];
            int count = 0;
            for (int i = 0; i < files.size(); i++) {
                byte[] image = outcome(decoded.set(i, null), files.get(i), warnings);
                if (image == null) continue;
                System.arraycopy(image, 0, pixels, count * shape.values(), shape.values());
                kept[count++] = labels.get(i);
            }
            int skipped = files.size() - count;
            return new ImageSet(shape, java.util.Arrays.copyOf(pixels, count * shape.values()),
                    java.util.Arrays.copyOf(kept, count), classes, skipped);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The decoded pixels, or null after adding a warning that names the file. */
    private static byte[] outcome(Future<byte[]> future, Path file, List<String> warnings) throws DataException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String reason = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            if (cause instanceof Error error) throw error;
            warnings.add(file + ": skipped, cannot decode: " + reason);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("interrupted while decoding " + file);
        }
    }
}
