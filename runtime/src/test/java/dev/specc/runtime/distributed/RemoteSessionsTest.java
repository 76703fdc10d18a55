package dev.specc.runtime.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Server;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.JobDef;
import org.tensorflow.proto.ServerDef;
import org.tensorflow.types.TFloat32;

/**
 * A graph pinned to a server's device runs through a session bound to that server, and fails in a
 * local session (which has no such device): so the target really reaches TensorFlow. The server
 * stays up until this test JVM ends (TensorFlow cannot stop one).
 */
class RemoteSessionsTest {
    @Test
    void aSessionWithATargetRunsTheGraphOnThatServer() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Server server = new Server(ServerDef.newBuilder()
                .setCluster(ClusterDef.newBuilder().addJob(JobDef.newBuilder().setName("worker").putTasks(0, "localhost:" + port)))
                .setJobName("worker").setTaskIndex(0).setProtocol("grpc").build());
        server.start();
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph).withDevice(org.tensorflow.DeviceSpec.newBuilder().job("worker").replica(0).task(0)
                    .deviceType(org.tensorflow.DeviceSpec.DeviceType.CPU).deviceIndex(0).build());
            var product = tf.math.mul(tf.constant(6f), tf.constant(7f));
            try (Session remote = RemoteSessions.open(graph, "grpc://localhost:" + port, ConfigProto.getDefaultInstance());
                 Result result = remote.runner().fetch(product).run()) {
                assertEquals(42f, ((TFloat32) result.get(0)).getFloat());
            }
            try (Session local = new Session(graph)) {
                TFInvalidArgumentException e = assertThrows(TFInvalidArgumentException.class, () -> local.runner().fetch(product).run());
                assertEquals(true, e.getMessage().contains("/job:worker/replica:0/task:0"), e.getMessage());
            }
        }
    }
}
