package dev.specc.runtime.train;

import java.util.List;
import java.util.Map;

/**
 * Where a run stands after a completed epoch: everything besides the weights and optimizer slots
 * that a resumed run needs to continue as if never stopped. Random streams need no state: the
 * batches and dropout masks are pure functions of (seed, epoch, step).
 */
public record TrainState(int epochsDone, long globalStep, Schedule.State schedule, double bestMonitored,
                         int epochsWithoutImprovement, List<Map<String, Double>> history, String specHash, long seed) {
}
