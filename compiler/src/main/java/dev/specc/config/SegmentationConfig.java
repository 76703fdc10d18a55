package dev.specc.config;

import java.util.List;

/**
 * What a {@code source: segmentation} data section adds ({@code data.segmentation:}): the mask
 * value that marks pixels to ignore (excluded from loss and metrics; 255 by default, as
 * Cityscapes' and Pascal VOC's masks use), a colour per class for predicted masks (null: the
 * Pascal VOC palette), and the random scale range of training augmentation (a factor drawn from
 * [1 - randomScale, 1 + randomScale], then cropped or padded back to the input size).
 */
public record SegmentationConfig(int ignoreIndex, List<int[]> palette, double randomScale) {
    public static final int DEFAULT_IGNORE_INDEX = 255;
    public static final SegmentationConfig DEFAULTS = new SegmentationConfig(DEFAULT_IGNORE_INDEX, null, 0);

    public SegmentationConfig {
        palette = palette == null ? null : palette.stream().map(int[]::clone).toList();
    }

    /** Palettes compare by their colours (a record would compare the int[] by identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentationConfig s && ignoreIndex == s.ignoreIndex && randomScale == s.randomScale
                && (palette == null ? s.palette == null : s.palette != null && palette.size() == s.palette.size()
                && java.util.stream.IntStream.range(0, palette.size()).allMatch(i -> java.util.Arrays.equals(palette.get(i), s.palette.get(i))));
    }

    @Override
    public int hashCode() {
        int h = Integer.hashCode(ignoreIndex) * 31 + Double.hashCode(randomScale);
        if (palette != null) for (int[] colour : palette) h = h * 31 + java.util.Arrays.hashCode(colour);
        return h;
    }

    /** The colour of class {@code c}: the spec's palette, else Pascal VOC's (bit-interleaved) palette. */
    public int[] colour(int c) {
        if (palette != null && c < palette.size()) return palette.get(c).clone();
        int r = 0;
        int g = 0;
        int b = 0;
        int id = c;
        for (int bit = 7; bit >= 0 && id > 0; bit--) {
            r |= (id & 1) << bit;
            g |= ((id >> 1) & 1) << bit;
            b |= ((id >> 2) & 1) << bit;
            id >>= 3;
        }
        return new int[] {r, g, b};
    }
}
