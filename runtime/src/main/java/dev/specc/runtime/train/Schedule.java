package dev.specc.runtime.train;

import dev.specc.config.TrainConfig;
import java.util.Map;

/**
 * The learning rate of every step: constant, step decay (multiply by {@code factor} every
 * {@code every} epochs), reduce-on-plateau (Keras ReduceLROnPlateau), cosine decay with linear
 * warm-up, or poly decay (segmentation's lr * (1 - step / steps) ^ 0.9). Its only state is the plateau rule's, kept in {@link State} for checkpoints.
 */
public final class Schedule {
    /** Plateau state: the current rate, the best monitored value so far and epochs without improvement. */
    public record State(double plateauRate, double best, int epochsWithoutImprovement) {
    }

    private final TrainConfig.ScheduleConfig config;
    private final double base;
    private final int epochs;
    private State state;

    public Schedule(TrainConfig.ScheduleConfig config, double base, int epochs) {
        this.config = config;
        this.base = base;
        this.epochs = epochs;
        this.state = new State(base, Double.NaN, 0);
    }

    public State state() {
        return state;
    }

    public void restore(State saved) {
        state = saved;
    }

    /** The rate for step {@code step} (0-based) of epoch {@code epoch} (0-based). */
    public double rate(int epoch, long step, long stepsPerEpoch) {
        return switch (config.type()) {
            case "step" -> Math.max(config.minLr(), base * Math.pow(config.factor(), epoch / config.every()));
            case "plateau" -> state.plateauRate();
            case "cosine" -> cosine(epoch * stepsPerEpoch + step, stepsPerEpoch);
            case "poly" -> poly(epoch * stepsPerEpoch + step, stepsPerEpoch);
            default -> base;
        };
    }

    /** segment.py's poly decay per step: base * (1 - step / steps) ^ power, never below min_lr. */
    private double poly(long globalStep, long stepsPerEpoch) {
        long total = Math.max(1, (long) epochs * stepsPerEpoch);
        double left = Math.max(0, 1 - (double) globalStep / total);
        return Math.max(config.minLr(), base * Math.pow(left, config.power()));
    }

    private double cosine(long globalStep, long stepsPerEpoch) {
        long warmup = (long) config.warmupEpochs() * stepsPerEpoch;
        if (globalStep < warmup) return base * (globalStep + 1) / warmup;
        long total = Math.max(1, (long) epochs * stepsPerEpoch - warmup);
        double progress = Math.min(1.0, (double) (globalStep - warmup) / total);
        return config.minLr() + 0.5 * (base - config.minLr()) * (1 + Math.cos(Math.PI * progress));
    }

    /** After each epoch: the plateau rule looks at the monitored metric. Returns a message when the rate changed. */
    public String endEpoch(Map<String, Double> metrics) {
        if (!config.type().equals("plateau")) return null;
        Double value = metrics.get(config.monitor());
        if (value == null || value.isNaN()) return null;
        boolean lowerIsBetter = config.monitor().endsWith("loss");
        double best = state.best();
        boolean improved = Double.isNaN(best) || (lowerIsBetter ? value < best - config.minDelta() : value > best + config.minDelta());
        if (improved) {
            state = new State(state.plateauRate(), value, 0);
            return null;
        }
        int wait = state.epochsWithoutImprovement() + 1;
        if (wait > config.patience() - 1 && state.plateauRate() > config.minLr()) {
            double previous = state.plateauRate();
            double reduced = Math.max(config.minLr(), previous * config.factor());
            state = new State(reduced, best, 0);
            return String.format(java.util.Locale.ROOT, "%s did not improve for %s: learning rate %.3g -> %.3g",
                    config.monitor(), dev.specc.runtime.report.Plural.of(wait, "epoch"), previous, reduced);
        }
        state = new State(state.plateauRate(), best, wait);
        return null;
    }
}
