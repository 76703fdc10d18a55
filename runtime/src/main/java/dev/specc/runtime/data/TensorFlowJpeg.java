package dev.specc.runtime.data;

import dev.specc.config.Precision;
import dev.specc.runtime.Sessions;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.DecodeJpeg;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * JPEG files decoded by TensorFlow's own DecodeJpeg (libjpeg-turbo, in the natives specc ships)
 * and resized by ResizeBilinear with half-pixel centres (what Keras' resize does), rounded to uint8:
 * several times faster than javax.imageio with a Java resize (benchmarks/decode.sh, see the README).
 * One small graph and session per output shape, shared by every worker thread (a session runs
 * concurrently), kept for the life of the process.
 */
public final class TensorFlowJpeg {
    private static final Map<ImageShape, TensorFlowJpeg> SHARED = new ConcurrentHashMap<>();
    private final ImageShape shape;
    private final Session session;
    private final Placeholder<TString> contents;
    private final Operand<TUint8> pixels;

    private TensorFlowJpeg(ImageShape shape, int threads) {
        this.shape = shape;
        Graph graph = new Graph();
        Ops tf = Ops.create(graph);
        contents = tf.placeholder(TString.class);
        Operand<TUint8> decoded = tf.image.decodeJpeg(contents, DecodeJpeg.channels((long) shape.channels()));
        Operand<TFloat32> resized = tf.image.resizeBilinear(tf.expandDims(decoded, tf.constant(0)),
                tf.constant(new int[] {shape.height(), shape.width()}), ResizeBilinear.halfPixelCenters(true));
        pixels = tf.dtypes.cast(tf.math.round(resized), TUint8.class);
        session = Sessions.open(graph, threads, Precision.FLOAT32);
    }

    public static TensorFlowJpeg forShape(ImageShape shape, int threads) {
        return SHARED.computeIfAbsent(shape, s -> new TensorFlowJpeg(s, threads));
    }

    /** The file's pixels at this shape, or an exception naming what TensorFlow found wrong. */
    public void decode(byte[] file, byte[] out, int offset) throws IOException {
        try (TString input = TString.tensorOfBytes(NdArrays.scalarOfObject(file));
             Result result = session.runner().feed(contents, input).fetch(pixels).run()) {
            byte[] values = new byte[shape.values()];
            ((TUint8) result.get(0)).asRawTensor().data().read(values);
            System.arraycopy(values, 0, out, offset, values.length);
        } catch (TensorFlowException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            throw new IOException("damaged image: " + message, e);
        }
    }
}
