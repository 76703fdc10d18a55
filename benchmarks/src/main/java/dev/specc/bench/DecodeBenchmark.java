package dev.specc.bench;

import dev.specc.runtime.data.ImageFiles;
import dev.specc.runtime.data.ImageShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.DecodeJpeg;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * JPEG decoding and resizing to SIZE x SIZE RGB uint8, two ways: specc's pipeline (javax.imageio,
 * then the Java bilinear resize: {@link ImageFiles#read}) and TensorFlow's own ops (DecodeJpeg,
 * libjpeg-turbo, then ResizeBilinear with half-pixel centres, in one small graph run per image).
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
        ImageFiles imageio = new ImageFiles(shape, files, new int[files.size()], List.of("x"), 0);
        try (TfDecoder tf = new TfDecoder(size)) {
            byte[] a = new byte[shape.values()];
            imageio.read(0, a, 0);
            byte[] b = tf.decode(Files.readAllBytes(files.get(0)));
            int diff = 0;
            for (int i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)));
            System.out.printf(Locale.ROOT, "largest pixel difference, imageio vs tensorflow, first image: %d of 255%n", diff);
            Decoder javaDecoder = i -> {
                byte[] out = new byte[shape.values()];
                imageio.read(i, out, 0);
            };
            Decoder tfDecoder = i -> tf.decode(Files.readAllBytes(files.get(i)));
            for (int round = 0; round < 2; round++) {  // the first round warms both up
                for (int t : new int[] {1, threads}) {
                    report(round, "javax.imageio + Java resize", t, files.size(), time(javaDecoder, files.size(), t));
                    report(round, "TensorFlow DecodeJpeg + ResizeBilinear", t, files.size(), time(tfDecoder, files.size(), t));
                }
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

    /** DecodeJpeg -> ResizeBilinear (half-pixel centres) -> round -> uint8, fed one file's bytes a run. */
    static final class TfDecoder implements AutoCloseable {
        private final Graph graph = new Graph();
        private final Session session;
        private final Placeholder<TString> contents;
        private final Operand<TUint8> pixels;
        private final int size;

        TfDecoder(int size) {
            this.size = size;
            Ops tf = Ops.create(graph);
            contents = tf.placeholder(TString.class);
            Operand<TUint8> decoded = tf.image.decodeJpeg(contents, DecodeJpeg.channels(3L));
            Operand<TFloat32> resized = tf.image.resizeBilinear(tf.expandDims(decoded, tf.constant(0)),
                    tf.constant(new int[] {size, size}), ResizeBilinear.halfPixelCenters(true));
            pixels = tf.dtypes.cast(tf.math.round(resized), TUint8.class);
            session = new Session(graph);
        }

        byte[] decode(byte[] file) {
            try (TString input = TString.tensorOfBytes(NdArrays.scalarOfObject(file));
                 Result result = session.runner().feed(contents, input).fetch(pixels).run()) {
                TUint8 out = (TUint8) result.get(0);
                byte[] bytes = new byte[size * size * 3];
                out.asRawTensor().data().read(bytes);
                return bytes;
            }
        }

        @Override
        public void close() {
            session.close();
            graph.close();
        }
    }
}
