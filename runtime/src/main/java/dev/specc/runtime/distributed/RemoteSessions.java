package dev.specc.runtime.distributed;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.ConfigProto;

/**
 * A {@link Session} whose graph runs on a TensorFlow server ({@code grpc://host:port}) rather than in
 * this process. TF Java 1.0.0 has no public way to give a session a target: its private
 * {@code Session.allocate(TF_Graph, String, ConfigProto)} takes one but never passes it to the C
 * library, so the session options are made here with the C API's {@code TF_SetTarget}; reflection
 * reads the graph's private native handle and calls the package-private {@code Session(Graph,
 * TF_Session)} that wraps the result.
 *
 * <p>Replace this class with the public constructor when TF Java has one that takes a target (as
 * Python's {@code tf.compat.v1.Session(target, graph, config)} does): every use goes through
 * {@link #open}.
 */
public final class RemoteSessions {
    private RemoteSessions() {
    }

    public static Session open(Graph graph, String target, ConfigProto config) {
        TF_Session handle;
        try (PointerScope scope = new PointerScope()) {
            TF_Status status = TF_Status.newStatus();
            TF_SessionOptions options = TF_SessionOptions.newSessionOptions();
            BytePointer bytes = new BytePointer(config.toByteArray());
            tensorflow.TF_SetConfig(options, bytes, bytes.capacity(), status);
            status.throwExceptionIfNotOK();
            tensorflow.TF_SetTarget(options, target);
            handle = TF_Session.newSession(graphHandle(graph), options, status);
            status.throwExceptionIfNotOK();
            handle.retainReference();
        }
        try {
            Constructor<Session> wrap = Session.class.getDeclaredConstructor(Graph.class, TF_Session.class);
            wrap.setAccessible(true);
            return wrap.newInstance(graph, handle);
        } catch (ReflectiveOperationException e) {
            handle.releaseReference();
            throw new IllegalStateException("this TF Java has no Session(Graph, TF_Session) constructor: " + e, e);
        }
    }

    private static TF_Graph graphHandle(Graph graph) {
        try {
            Field field = Graph.class.getDeclaredField("nativeHandle");
            field.setAccessible(true);
            return (TF_Graph) field.get(graph);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this TF Java's Graph has no nativeHandle field: " + e, e);
        }
    }
}
