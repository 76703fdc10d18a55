package dev.specc.bench;

import dev.specc.config.ColorMode;
import dev.specc.runtime.data.ImageDecoder;
import dev.specc.runtime.data.ImageShape;
import dev.specc.runtime.data.TensorFlowJpeg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * JPEG decoding and resizing to SIZE x SIZE RGB uint8, the two ways specc has: javax.imageio then
 * the Java bilinear resize ({@link ImageDecoder}, what specc uses for PNGs) and TensorFlow's own ops
 * (DecodeJpeg, libjpeg-turbo, then ResizeBilinear with half-pixel centres: {@link TensorFlowJpeg},
 * what specc uses for JPEGs, one small graph run per image).
 * Each on 1 and on THREADS threads; images/s, and the largest pixel difference between the two.
 * Usage: DecodeBenchmark FOLDER COUNT SIZE THREADS
 */
public final class DecodeBenchmark {
    private DecodeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> files;
        try (Stream<Path> tree = Files.walk(Path.of(args[0]))) {
            files = tree.filter(f -> f.toString().endsWith(".jpg")).sorted().limit(Integer.parseInt(args[1])).toList();
        }
        int size = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        ImageShape shape = new ImageShape(size, size, 3);
        ImageDecoder imageio = new ImageDecoder(size, size, ColorMode.RGB);
        TensorFlowJpeg tf = TensorFlowJpeg.forShape(shape, threads);
        byte[] a = imageio.decode(files.get(0));
        byte[] b = new byte[shape.values()];
        tf.decode(Files.readAllBytes(files.get(0)), b, 0);
        int diff = 0;
        for (int i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)));
        System.out.printf(Locale.ROOT, "largest pixel difference, imageio vs tensorflow, first image: %d of 255%n", diff);
        Decoder javaDecoder = i -> imageio.decode(files.get(i));
        Decoder tfDecoder = i -> tf.decode(Files.readAllBytes(files.get(i)), new byte[shape.values()], 0);
        for (int round = 0; round < 2; round++) {  // the first round warms both up
            for (int t : new int[] {1, threads}) {
                report(round, "javax.imageio + Java resize", t, files.size(), time(javaDecoder, files.size(), t));
                report(round, "TensorFlow DecodeJpeg + ResizeBilinear", t, files.size(), time(tfDecoder, files.size(), t));
            }
        }
    }

    interface Decoder {
        void decode(int index) throws Exception;
    }

    private static void report(int round, String what, int threads, int count, double seconds) {
        if (round == 0) return;
        System.out.printf(Locale.ROOT, "%-40s %d thread(s): %7.1f images/s%n", what, threads, count / seconds);
    }

    private static double time(Decoder decoder, int count, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<?>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            parts.add(pool.submit(() -> {
                for (int i = first; i < count; i += threads) decoder.decode(i);
                return null;
            }));
        }
        for (Future<?> part : parts) part.get();
        pool.shutdown();
        return (System.nanoTime() - start) / 1e9;
    }
}
