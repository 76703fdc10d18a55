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
 * .jpg/.jpeg/.png files (any case, in subfolders too) in sorted path order. Listing reads no pixels:
 * the examples are decoded when read (see {@link ImageFiles}).
 */
public final class ImageFolder {
    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png");

    private ImageFolder() {
    }

    /**
     * Lists the images of the class folders with their labels, each given a quick look
     * ({@link ImageCheck}) on {@code workers} threads; none is decoded. Files that are not whole
     * images are left out, each named in the listing's warnings. The examples decode to {@code size} in {@code mode}.
     */
    public static Listing list(Path dir, DataConfig.ImageSize size, ColorMode mode, List<String> classNames,
                               int workers, int threads) throws DataException {
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
        return checked(files, labels, new ImageShape(size.height(), size.width(), mode.channels()), classes, workers,
                threads);
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
     * The given files, in order, decoded to {@code shape} and held in memory; each image's label is
     * its file's index, so callers can tell which files were unreadable (left out, and named in the warnings).
     */
    public static Listing decodeFiles(List<Path> files, ImageShape shape, int workers, int threads) throws DataException {
        List<Integer> indices = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            indices.add(i);
            names.add(files.get(i).toString());
        }
        Listing listed = checked(files, indices, shape, names, workers, threads);
        Listing decoded = MemoryExamples.decode(listed.examples(), workers);
        List<String> warnings = new ArrayList<>(listed.warnings());
        warnings.addAll(decoded.warnings());
        return new Listing(decoded.examples(), warnings);
    }

    private static Listing checked(List<Path> files, List<Integer> labels, ImageShape shape, List<String> classes,
                                   int workers, int threads) throws DataException {
        ExecutorService pool = Executors.newFixedThreadPool(workers, DaemonThreads.named("specc-list"));
        try {
            List<Future<String>> problems = new ArrayList<>();
            for (Path file : files) problems.add(pool.submit(() -> ImageCheck.problem(file)));
            List<Path> kept = new ArrayList<>();
            List<Integer> keptLabels = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                String problem = problems.get(i).get();
                if (problem != null) {
                    warnings.add(Listing.skippedLine(files.get(i).toString(), problem));
                } else {
                    kept.add(files.get(i));
                    keptLabels.add(labels.get(i));
                }
            }
            int[] labelArray = keptLabels.stream().mapToInt(Integer::intValue).toArray();
            return new Listing(new ImageFiles(shape, kept, labelArray, classes, threads), warnings);
        } catch (ExecutionException e) {
            throw new DataException("listing images failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataException("interrupted while listing images");
        } finally {
            pool.shutdownNow();
        }
    }
}
