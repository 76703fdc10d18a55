package dev.specc.cli;

import java.util.Locale;

final class Numbers {
    private Numbers() {
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Bytes of float32 weights, as Keras prints them: 97.71 MB. */
    static String bytes(long params) {
        double b = params * 4.0;
        if (b >= 1 << 30) return String.format(Locale.ROOT, "%.2f GB", b / (1 << 30));
        if (b >= 1 << 20) return String.format(Locale.ROOT, "%.2f MB", b / (1 << 20));
        if (b >= 1 << 10) return String.format(Locale.ROOT, "%.2f KB", b / (1 << 10));
        return String.format(Locale.ROOT, "%.0f B", b);
    }

    static String si(long n) {
        if (n >= 1_000_000_000L) return String.format(Locale.ROOT, "%.2f G", n / 1e9);
        if (n >= 1_000_000L) return String.format(Locale.ROOT, "%.2f M", n / 1e6);
        if (n >= 1_000L) return String.format(Locale.ROOT, "%.2f K", n / 1e3);
        return Long.toString(n);
    }
}
