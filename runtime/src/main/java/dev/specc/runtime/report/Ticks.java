package dev.specc.runtime.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Round axis ticks as plotting libraries choose them: multiples of a step of 1, 2 or 5 times a
 * power of ten, inside the axis range.
 */
record Ticks(double first, double last, double step) {

    /** About {@code count} ticks inside [lo, hi]. */
    static Ticks inside(double lo, double hi, int count) {
        double step = niceStep((hi - lo) / Math.max(1, count));
        return new Ticks(Math.ceil(lo / step - 1e-9) * step, Math.floor(hi / step + 1e-9) * step, step);
    }

    /** Whole-epoch ticks inside [lo, hi], none before epoch 1, about {@code count} of them. */
    static Ticks epochs(double lo, double hi, int count) {
        double step = Math.max(1, Math.ceil(niceStep((hi - lo) / Math.max(1, count))));
        return new Ticks(Math.ceil(Math.max(1, lo) / step - 1e-9) * step, Math.floor(hi / step + 1e-9) * step, step);
    }

    private static double niceStep(double rough) {
        if (!(rough > 0)) return 1;
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        double fraction = rough / power;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }

    List<Double> values() {
        List<Double> values = new ArrayList<>();
        long n = Math.round((last - first) / step);
        for (long i = 0; i <= n; i++) values.add(first + i * step);
        return values;
    }

    /** A tick's label with as many decimals as the step needs: "0.25", "2", "0.001". */
    String label(double value) {
        int decimals = Math.max(0, BigDecimal.valueOf(step).stripTrailingZeros().scale());
        String text = new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        return text.matches("-0(\\.0*)?") ? text.substring(1) : text;
    }
}
