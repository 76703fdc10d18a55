package dev.specc.runtime.distributed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specc.diag.UsageException;
import java.util.ArrayList;
import java.util.List;

/**
 * The workers of a cluster ({@code host:port} each) and which of them this process is; worker 0 is
 * the chief. Read from TensorFlow's {@code TF_CONFIG} convention ({@code {"cluster": {"worker":
 * [...]}, "task": {"type": "worker", "index": i}}}), which cluster schedulers already set for TF
 * jobs, or from the command line's {@code --cluster} and {@code --task-index}.
 */
public record ClusterSpec(List<String> workers, int taskIndex) {
    public static final String TF_CONFIG = "TF_CONFIG";
    public static final String JOB = "worker";

    public ClusterSpec {
        workers = List.copyOf(workers);
        if (workers.isEmpty()) throw new UsageException("a cluster needs at least one worker");
        for (String worker : workers) checkAddress(worker);
        if (workers.stream().distinct().count() < workers.size()) {
            throw new UsageException("the cluster names a worker twice: " + String.join(",", workers));
        }
        if (taskIndex < 0 || taskIndex >= workers.size()) {
            throw new UsageException("task index " + taskIndex + " is not one of the cluster's " + workers.size()
                    + " workers (0.." + (workers.size() - 1) + ")");
        }
    }

    /** {@code --cluster host:port,host:port --task-index i}. */
    public static ClusterSpec of(String cluster, int taskIndex) {
        List<String> workers = new ArrayList<>();
        for (String part : cluster.split(",", -1)) workers.add(part.trim());
        return new ClusterSpec(workers, taskIndex);
    }

    /** The value of TF_CONFIG; only the "worker" job is used (chief, ps and evaluator jobs are refused). */
    public static ClusterSpec fromTfConfig(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new UsageException(TF_CONFIG + " is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new UsageException(TF_CONFIG + " must be a JSON object, got: " + json);
        JsonNode cluster = root.path("cluster");
        if (!cluster.isObject()) throw new UsageException(TF_CONFIG + " has no \"cluster\" object");
        cluster.fieldNames().forEachRemaining(job -> {
            if (!job.equals(JOB)) {
                throw new UsageException(TF_CONFIG + ": job \"" + job + "\" is not supported; specc runs synchronous "
                        + "all-reduce training on \"worker\" tasks only (worker 0 is the chief)");
            }
        });
        JsonNode list = cluster.path(JOB);
        if (!list.isArray()) throw new UsageException(TF_CONFIG + ": cluster.worker must be a list of \"host:port\"");
        List<String> workers = new ArrayList<>();
        for (JsonNode worker : list) {
            if (!worker.isTextual()) throw new UsageException(TF_CONFIG + ": cluster.worker holds " + worker + ", not \"host:port\"");
            workers.add(worker.asText());
        }
        JsonNode task = root.path("task");
        if (!task.isObject()) throw new UsageException(TF_CONFIG + " has no \"task\" object");
        if (!JOB.equals(task.path("type").asText(null))) {
            throw new UsageException(TF_CONFIG + ": task.type must be \"worker\", got " + task.path("type"));
        }
        if (!task.path("index").canConvertToInt() || !task.path("index").isIntegralNumber()) {
            throw new UsageException(TF_CONFIG + ": task.index must be a whole number, got " + task.path("index"));
        }
        return new ClusterSpec(workers, task.path("index").asInt());
    }

    /** The TF_CONFIG value that describes worker {@code index} of this cluster. */
    public String tfConfig(int index) {
        StringBuilder json = new StringBuilder("{\"cluster\": {\"worker\": [");
        for (int i = 0; i < workers.size(); i++) json.append(i > 0 ? ", " : "").append('"').append(workers.get(i)).append('"');
        return json.append("]}, \"task\": {\"type\": \"worker\", \"index\": ").append(index).append("}}").toString();
    }

    public int size() {
        return workers.size();
    }

    public boolean chief() {
        return taskIndex == 0;
    }

    public String address() {
        return workers.get(taskIndex);
    }

    /** "worker 1 (host:port)": how messages name a worker. */
    public String describe(int index) {
        return "worker " + index + " (" + workers.get(index) + ")";
    }

    public String device() {
        return "/job:" + JOB + "/replica:0/task:" + taskIndex + "/device:CPU:0";
    }

    private static void checkAddress(String worker) {
        int colon = worker.lastIndexOf(':');
        String port = colon < 0 ? "" : worker.substring(colon + 1);
        boolean ok = colon > 0 && !port.isEmpty() && port.chars().allMatch(Character::isDigit) && port.length() <= 5
                && Integer.parseInt(port) > 0 && Integer.parseInt(port) < 65536;
        if (!ok) throw new UsageException("a worker is host:port with a port in 1..65535, got \"" + worker + "\"");
    }
}
