package dev.specc.runtime.train;

import java.util.List;
import java.util.Map;

/**
 * Where a run stands at a checkpoint: everything besides the weights and optimizer slots that a
 * resumed run needs to continue as if never stopped. {@code stepsInEpoch} steps of epoch
 * {@code epochsDone} (0-based) are done, with {@code partialEpoch} their running metrics; both are
 * 0 and null at an epoch's end. Random streams need no state: the batches and dropout masks are
 * pure functions of (seed, epoch, step).
 */
public record TrainState(int epochsDone, long globalStep, Schedule.State schedule, double bestMonitored,
                         int epochsWithoutImprovement, List<Map<String, Double>> history, String specHash, long seed,
                         long stepsInEpoch, EpochMetrics.Snapshot partialEpoch) {

    /** The state of a run that has not taken a step yet. */
    public static TrainState fresh(String specHash, long seed) {
        return new TrainState(0, 0, null, Double.NaN, 0, List.of(), specHash, seed, 0, null);
    }

    /** Whether this state was saved within an epoch rather than at its end. */
    public boolean midEpoch() {
        return stepsInEpoch > 0;
    }

    /** "epoch 3" for an epoch's end, "epoch 4, step 17" within an epoch (1-based, as the progress lines count). */
    public String describe() {
        return midEpoch() ? "epoch " + (epochsDone + 1) + ", step " + stepsInEpoch : "epoch " + epochsDone;
    }
}
