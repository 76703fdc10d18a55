package dev.specc.runtime;

import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/**
 * Where TensorFlow computes, and why: the CPU, or the first GPU where the launcher ({@code ./specc})
 * put TensorFlow's GPU natives on the class path. The launcher tells this process its choice
 * through system properties; without them (tests, a program embedding specc) it is the CPU.
 *
 * <p>A GPU choice is checked once per process by running one op pinned to {@code /device:GPU:0}:
 * GPU natives load without CUDA, and TensorFlow then silently computes on the CPU. When the GPU
 * was asked for by name ({@code SPECC_DEVICE=gpu}), a GPU that TensorFlow cannot use fails the
 * command; when it was only detected ({@code nvidia-smi -L}), the command goes on on the CPU and says so.
 */
public record ComputeDevice(Kind kind, String reason) {
    public enum Kind { CPU, GPU }

    /** "gpu" or "cpu", as the launcher chose the natives. */
    static final String KIND_PROPERTY = "specc.device";
    /** Why, in words, e.g. "SPECC_DEVICE=gpu" or "nvidia-smi -L lists GPU 0: NVIDIA H200". */
    static final String REASON_PROPERTY = "specc.device.reason";
    /** "true" when the user named the device (SPECC_DEVICE), "false" when the launcher detected it. */
    static final String EXPLICIT_PROPERTY = "specc.device.explicit";

    private static ComputeDevice current;

    /** A GPU that was asked for by name and that TensorFlow cannot use. */
    public static final class UnavailableException extends RuntimeException {
        UnavailableException(String message) {
            super(message);
        }
    }

    /** This process's device, decided (and, for a GPU, checked) on first use. */
    public static synchronized ComputeDevice current() {
        if (current == null) {
            current = choose(System.getProperty(KIND_PROPERTY), System.getProperty(REASON_PROPERTY),
                    Boolean.parseBoolean(System.getProperty(EXPLICIT_PROPERTY)), ComputeDevice::gpuProblem);
        }
        return current;
    }

    /** What a GPU check finds: null when TensorFlow can compute on GPU 0, else why not. */
    interface GpuCheck {
        String problem();
    }

    static ComputeDevice choose(String kind, String reason, boolean explicit, GpuCheck check) {
        if (!"gpu".equals(kind)) {
            return new ComputeDevice(Kind.CPU, reason != null ? reason : "TensorFlow's CPU natives are on the class path");
        }
        String why = reason != null ? reason : KIND_PROPERTY + "=gpu";
        String problem = check.problem();
        if (problem == null) return new ComputeDevice(Kind.GPU, why);
        if (explicit) {
            throw new UnavailableException(why + ", but TensorFlow can use no GPU: " + problem + ". TensorFlow "
                    + "1.0.0's GPU natives need CUDA 12.3 and cuDNN 8.9 on the library path; set SPECC_DEVICE=cpu to "
                    + "compute on the CPU");
        }
        return new ComputeDevice(Kind.CPU, why + ", but TensorFlow cannot use it (" + problem
                + "), so this computes on the CPU; SPECC_DEVICE=cpu skips the GPU natives");
    }

    /** Runs 1 + 1 on GPU 0 with soft placement off: any device problem shows as an error. */
    static String gpuProblem() {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph).withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU)
                    .deviceIndex(0).build());
            var sum = tf.math.add(tf.constant(1f), tf.constant(1f));
            try (Session session = new Session(graph, ConfigProto.newBuilder().setAllowSoftPlacement(false).build());
                 Result result = session.runner().fetch(sum).run()) {
                return null;
            }
        } catch (RuntimeException problem) {
            String message = problem.getMessage() == null ? problem.getClass().getSimpleName() : problem.getMessage();
            int newline = message.indexOf('\n');
            String line = (newline < 0 ? message : message.substring(0, newline)).strip();
            return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
        }
    }

    public boolean gpu() {
        return kind == Kind.GPU;
    }

    /** As written in environment.json. */
    public String spelling() {
        return gpu() ? "gpu" : "cpu";
    }

    /** As printed at the start of a command that computes. */
    public String describe() {
        return "device: " + spelling() + " (" + reason + ")";
    }
}
