package dev.specc.runtime.distributed;

import java.util.Locale;

/**
 * A worker's training speed: the examples of its shards per second of step time, and the share of
 * step time an all-reduce of the gradients' size takes (timed alone after some steps).
 */
final class ThroughputMeter {
    private long examples;
    private long stepNanos;
    private long steps;
    private long probeNanos;
    private long probedStepNanos;

    void step(int shardExamples, long nanos) {
        if (steps++ == 0) return; // the first step includes TensorFlow's graph setup
        examples += shardExamples;
        stepNanos += nanos;
    }

    /** An all-reduce of the gradients' size timed alone, and the step it followed. */
    void allReduce(long nanos, long stepNanos) {
        probeNanos += nanos;
        probedStepNanos += stepNanos;
    }

    double imagesPerSecond() {
        return stepNanos == 0 ? Double.NaN : examples / (stepNanos / 1e9);
    }

    double allReduceShare() {
        return probedStepNanos == 0 ? Double.NaN : (double) probeNanos / probedStepNanos;
    }

    double secondsPerStep() {
        return steps <= 1 ? Double.NaN : stepNanos / 1e9 / (steps - 1);
    }

    /** Whether any step was timed: the first is not (it includes TensorFlow's graph setup). */
    boolean timed() {
        return steps > 1;
    }

    String describe(String worker) {
        if (!timed()) return worker + ": " + tooFew();
        String share = Double.isNaN(allReduceShare()) ? "not measured (fewer than " + 2 * ShardStep.PROBE_EVERY + " steps)"
                : String.format(Locale.ROOT, "%.0f%% of step time", 100 * allReduceShare());
        return String.format(Locale.ROOT, "%s: %.1f images/s on its shards, %.3f s per step, gradient all-reduce %s",
                worker, imagesPerSecond(), secondsPerStep(), share);
    }

    /** The chief's line for the whole cluster of {@code workers}, each as fast as this one. */
    String describeCluster(int workers) {
        if (!timed()) return "cluster of " + workers + " workers: images/s not measured, " + tooFew();
        return String.format(Locale.ROOT, "cluster of %d workers: about %.1f images/s together", workers,
                imagesPerSecond() * workers);
    }

    private String tooFew() {
        return (steps == 0 ? "no steps run" : steps == 1 ? "1 step run" : steps + " steps run")
                + ", too few to time (the first step, which includes TensorFlow's graph setup, is not timed)";
    }
}
