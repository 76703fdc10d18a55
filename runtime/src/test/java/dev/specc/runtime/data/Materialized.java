package dev.specc.runtime.data;

import java.io.IOException;

/** Test help: every example of an {@link Examples} read into one {@link ImageSet}. */
final class Materialized {
    private Materialized() {
    }

    static ImageSet of(Examples examples, int skipped) throws IOException {
        int values = examples.shape().values();
        byte[] pixels = new byte[examples.size() * values];
        int[] labels = new int[examples.size()];
        for (int i = 0; i < examples.size(); i++) {
            examples.read(i, pixels, i * values);
            labels[i] = examples.label(i);
        }
        return new ImageSet(examples.shape(), pixels, labels, examples.classNames(), skipped);
    }

    static ImageSet of(Examples examples) throws IOException {
        return of(examples, 0);
    }
}
