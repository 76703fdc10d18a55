package dev.specc.cli;

import dev.specc.diag.UsageException;
import dev.specc.runtime.report.Plural;
import dev.specc.runtime.distributed.ClusterSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code --local-workers N}: N worker processes of this same specc on free local ports, each with its
 * TF_CONFIG, supervised. The chief's output is passed through; the others' lines are prefixed with
 * their worker. When a worker fails, the others are stopped at once and the worker is named; the
 * chief's last checkpoint stays (checkpoints are written atomically), so --resume continues.
 */
final class LocalCluster {
    /**
     * More workers than this per core is refused: each is a JVM with its own TensorFlow runtime and a full
     * copy of the model, and beyond a few per core they add only memory and all-reduce traffic.
     */
    static final int WORKERS_PER_CORE = 4;

    private final List<String> arguments;
    private final int workers;
    private final PrintStream out;
    private final PrintStream err;
    private volatile String runDirectory;
    private volatile boolean stopping;

    /** {@code arguments}: the command line without --local-workers. */
    LocalCluster(List<String> arguments, int workers, PrintStream out, PrintStream err) {
        this.arguments = arguments;
        this.workers = workers;
        this.out = out;
        this.err = err;
    }

    /** Refuses a worker count below 1 or above {@link #WORKERS_PER_CORE} per core of a machine of {@code cores}. */
    static void checkWorkers(int n, int cores) {
        if (n < 1) throw new UsageException("--local-workers must be at least 1, got " + n);
        if (n > WORKERS_PER_CORE * cores) {
            throw new UsageException("--local-workers " + n + " is more than " + WORKERS_PER_CORE + " workers per core on "
                    + "this machine of " + Plural.of(cores, "core") + " (at most " + WORKERS_PER_CORE * cores + "): each "
                    + "worker is a process with its own TensorFlow runtime and copy of the model");
        }
    }

    /** TensorFlow threads of each of {@code workers} sharing {@code cores}: their part of the cores, at least 1. */
    static int threadsPerWorker(int cores, int workers) {
        return Math.max(1, cores / workers);
    }

    /** The line that says how the workers share this machine. */
    static String sharing(int workers, int cores, int threads, boolean threadsGiven) {
        String line = String.format(java.util.Locale.ROOT, "local cluster: %s on %s, %s each (%s)",
                Plural.of(workers, "worker process"), Plural.of(cores, "core"), Plural.of(threads, "TensorFlow thread"),
                threadsGiven ? "--threads" : "the cores divided among the workers");
        if (workers * threads > cores) {
            line += String.format(java.util.Locale.ROOT, "; %d threads compete for %s", workers * threads,
                    Plural.of(cores, "core"));
        }
        return line;
    }

    int run(boolean threadsGiven, int threadsOption) throws IOException, InterruptedException {
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = !threadsGiven ? threadsPerWorker(cores, workers) : threadsOption == 0 ? cores : threadsOption;
        out.println(sharing(workers, cores, threads, threadsGiven));
        out.flush();
        ClusterSpec cluster = new ClusterSpec(freeAddresses(workers), 0);
        List<Process> processes = new ArrayList<>();
        List<Thread> pumps = new ArrayList<>();
        String java = ProcessHandle.current().info().command().orElse("java");
        for (int i = 0; i < workers; i++) {
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(inheritedJvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Specc.class.getName()));
            command.addAll(arguments);
            // The workers share this machine's cores: each gets its part unless --threads says otherwise.
            if (!threadsGiven) command.addAll(List.of("--threads", String.valueOf(threads)));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put(ClusterSpec.TF_CONFIG, cluster.tfConfig(i));
            builder.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
            Process process = builder.start();
            processes.add(process);
            String prefix = i == 0 ? "" : "[worker " + i + "] ";
            pumps.add(pump(process.getInputStream(), out, prefix, i == 0));
            pumps.add(pump(process.getErrorStream(), err, prefix, false));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(processes)));
        int status = supervise(cluster, processes);
        for (Thread pump : pumps) pump.join(2_000);
        out.flush();
        err.flush();
        return status;
    }

    /**
     * The options of this JVM the workers need too: system properties (the launcher's choice of device
     * and natives) and heap and stack sizes (SPECC_JAVA_OPTS); not debugging agents or class-data archives.
     */
    static List<String> inheritedJvmOptions(List<String> options) {
        return options.stream().filter(o -> o.startsWith("-D") || o.startsWith("-Xmx") || o.startsWith("-Xms")
                || o.startsWith("-Xss")).toList();
    }

    /**
     * Ctrl-C or a TERM signal to this process: the chief is asked to stop as a single run is (after its
     * step, with a checkpoint: SIGTERM), and given the interrupt's 30 s and some to do it before all are
     * killed. The workers are left running until then, since the chief's last step needs them; a worker
     * that ends meanwhile (a Ctrl-C reaches the whole process group) is not reported as a failure.
     */
    private void stop(List<Process> processes) {
        stopping = true;
        Process chief = processes.get(0);
        if (chief.isAlive()) {
            chief.destroy();
            try {
                chief.waitFor(40, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.forEach(Process::destroyForcibly);
    }

    /** Waits for the chief; a worker that fails first stops the cluster with its name. */
    private int supervise(ClusterSpec cluster, List<Process> processes) throws InterruptedException {
        while (true) {
            for (int i = 0; i < processes.size(); i++) {
                Process p = processes.get(i);
                if (p.isAlive()) continue;
                int code = p.exitValue();
                if (i == 0) {
                    // The chief is done (or failed and said why): the others have nothing left to do.
                    for (Process other : processes) other.waitFor(code == 0 ? 10 : 0, TimeUnit.SECONDS);
                    processes.forEach(Process::destroyForcibly);
                    return code;
                }
                if (code != 0 && !stopping) {
                    processes.forEach(Process::destroyForcibly);
                    for (Process other : processes) other.waitFor(10, TimeUnit.SECONDS);
                    err.println("specc: " + cluster.describe(i) + ", process " + p.pid() + ", " + exitDescription(code)
                            + "; the cluster was stopped" + (runDirectory == null ? ""
                            : ", the last checkpoint is kept: continue with --resume " + runDirectory));
                    err.flush();
                    return Specc.FAILED;
                }
            }
            Thread.sleep(100);
        }
    }

    private static String exitDescription(int code) {
        if (code > 128) return "was killed by signal " + (code - 128) + " (exit code " + code + ")";
        return "failed with exit code " + code;
    }

    private Thread pump(java.io.InputStream stream, PrintStream to, String prefix, boolean watchRunDirectory) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (watchRunDirectory && line.startsWith("run directory: ")) {
                        runDirectory = line.substring("run directory: ".length());
                    }
                    synchronized (to) {
                        to.println(prefix + line);
                        to.flush();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "specc-worker-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static List<String> freeAddresses(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                addresses.add("localhost:" + socket.getLocalPort());
            }
        } finally {
            for (ServerSocket socket : sockets) socket.close();
        }
        return addresses;
    }
}
