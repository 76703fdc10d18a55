package dev.specc.runtime.report;

import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Writes scalars as TensorBoard event files with TensorFlow's own summary ops
 * (SummaryWriter / CreateSummaryFileWriter / WriteScalarSummary), in a small graph of its own.
 */
public final class TensorBoardWriter implements AutoCloseable {
    private final Graph graph = new Graph();
    private final Session session;
    private final Placeholder<TInt64> step;
    private final Placeholder<TString> tag;
    private final Placeholder<TFloat32> value;
    private final Op write;
    private final Op flush;
    private final Op close;

    public TensorBoardWriter(Path logDir) {
        Ops tf = Ops.create(graph);
        SummaryWriter writer = tf.summary.summaryWriter(SummaryWriter.sharedName("specc_" + System.identityHashCode(this)));
        Op create = tf.summary.createSummaryFileWriter(writer, tf.constant(logDir.toAbsolutePath().toString()),
                tf.constant(16), tf.constant(2000), tf.constant(".specc"));
        step = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
        tag = tf.placeholder(TString.class, Placeholder.shape(Shape.scalar()));
        value = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        write = tf.summary.writeScalarSummary(writer, step, tag, value);
        flush = tf.summary.flushSummaryWriter(writer);
        close = tf.summary.closeSummaryWriter(writer);
        session = new Session(graph);
        session.run(create);
    }

    public void scalar(String name, long globalStep, double v) {
        try (TInt64 s = TInt64.scalarOf(globalStep); TString t = TString.scalarOf(name); TFloat32 x = TFloat32.scalarOf((float) v)) {
            session.runner().feed(step, s).feed(tag, t).feed(value, x).addTarget(write).run();
        }
    }

    public void flush() {
        session.run(flush);
    }

    @Override
    public void close() {
        try {
            session.run(flush);
            session.run(close);
        } finally {
            session.close();
            graph.close();
        }
    }
}
