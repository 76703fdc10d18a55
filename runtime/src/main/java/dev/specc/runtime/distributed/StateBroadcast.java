package dev.specc.runtime.distributed;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specc.lower.WeightVariable;
import dev.specc.runtime.train.Optimizer;
import dev.specc.runtime.train.TrainState;
import dev.specc.runtime.train.TrainingGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.Operation;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The chief's variables (weights, batch-norm statistics, optimizer slots) and training state sent
 * to every other worker before training, so that all start alike whether the chief initialised,
 * loaded --init-from weights or restored a checkpoint. The other workers need no run directory.
 * The state travels as the bytes of its JSON: first their count, then the bytes.
 */
final class StateBroadcast {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean chief;
    private final List<Operation> variableTargets = new ArrayList<>();
    private final Placeholder<TInt32> length;
    private final Operand<TInt32> receivedLength;
    private final Placeholder<TInt32> bytes;
    private final Placeholder<TInt32> receiveShape;
    private final Operand<TInt32> receivedBytes;
    private final GraphOperation sendBytes;

    StateBroadcast(TrainingGraph graph, Collectives collectives, boolean chief) {
        this.chief = chief;
        Ops tf = Ops.create(graph.model().graph()).withSubScope("broadcast");
        List<Variable<TFloat32>> variables = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        List<WeightVariable> model = new ArrayList<>(graph.model().trainableVariables());
        model.addAll(graph.model().nonTrainableVariables());
        for (WeightVariable w : model) {
            variables.add(w.variable());
            shapes.add(w.spec().shape());
        }
        for (Optimizer.Slot slot : graph.slots()) {
            variables.add(slot.variable());
            shapes.add(slot.shape());
        }
        long total = 0;
        List<Operand<TFloat32>> flat = new ArrayList<>();
        for (Variable<TFloat32> v : variables) flat.add(tf.reshape(tf.identity(v), tf.constant(new long[] {-1})));
        for (long[] shape : shapes) total += count(shape);
        if (chief) {
            variableTargets.add(collectives.broadcastSend(tf, tf.concat(flat, tf.constant(0))));
        } else {
            Operand<TFloat32> all = collectives.broadcastReceive(tf, tf.constant(new int[] {Math.toIntExact(total)}), TFloat32.class);
            long offset = 0;
            for (int i = 0; i < variables.size(); i++) {
                long n = count(shapes.get(i));
                Operand<TFloat32> part = tf.slice(all, tf.constant(new long[] {offset}), tf.constant(new long[] {n}));
                variableTargets.add(tf.assign(variables.get(i), tf.reshape(part, tf.constant(shapes.get(i)))).op());
                offset += n;
            }
        }
        length = tf.withName("length").placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
        bytes = tf.withName("bytes").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
        receiveShape = tf.withName("bytes_shape").placeholder(TInt32.class, Placeholder.shape(Shape.of(1)));
        if (chief) {
            variableTargets.add(collectives.broadcastSend(tf, length));
            receivedLength = null;
            sendBytes = collectives.broadcastSend(tf, bytes);
            receivedBytes = null;
        } else {
            receivedLength = collectives.broadcastReceive(tf, tf.constant(new int[0]), TInt32.class);
            receivedBytes = collectives.broadcastReceive(tf, receiveShape, TInt32.class);
            sendBytes = null;
        }
    }

    private static long count(long[] shape) {
        return dev.specc.runtime.io.Shapes.elements(shape);
    }

    /** Run on every worker at the same point: the chief sends {@code state}, the others receive and return it. */
    TrainState run(Session session, TrainState state) {
        try {
            if (chief) {
                int[] payload = codes(JSON.writeValueAsBytes(state));
                try (TInt32 n = TInt32.scalarOf(payload.length)) {
                    Session.Runner runner = session.runner().feed(length, n);
                    variableTargets.forEach(runner::addTarget);
                    runner.run();
                }
                try (TInt32 data = TInt32.tensorOf(Shape.of(payload.length), DataBuffers.of(payload, true, false))) {
                    session.runner().feed(bytes, data).addTarget(sendBytes).run();
                }
                return state;
            }
            int n;
            Session.Runner runner = session.runner().fetch(receivedLength);
            variableTargets.forEach(runner::addTarget);
            try (Result result = runner.run()) {
                n = ((TInt32) result.get(0)).getInt();
            }
            byte[] json = new byte[n];
            try (TInt32 shape = TInt32.vectorOf(n);
                 Result result = session.runner().feed(receiveShape, shape).fetch(receivedBytes).run()) {
                TInt32 codes = (TInt32) result.get(0);
                for (int i = 0; i < n; i++) json[i] = (byte) codes.getInt(i);
            }
            return JSON.readValue(new String(json, StandardCharsets.UTF_8), TrainState.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] codes(byte[] bytes) {
        int[] codes = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) codes[i] = bytes[i];
        return codes;
    }
}
