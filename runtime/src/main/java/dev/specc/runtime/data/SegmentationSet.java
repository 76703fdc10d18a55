package dev.specc.runtime.data;

import dev.specc.config.SegmentationConfig;
import dev.specc.config.SegmentationLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Image/mask pairs, listed up front and read one example at a time (so memory does not grow with
 * the data), with the class names their masks index and the mask value to ignore.
 */
public record SegmentationSet(List<SegmentationLayout.Pair> pairs, List<String> classNames, SegmentationConfig config) {

    public SegmentationSet {
        pairs = List.copyOf(pairs);
        classNames = List.copyOf(classNames);
    }

    public int size() {
        return pairs.size();
    }

    public SegmentationSet select(int[] indices) {
        List<SegmentationLayout.Pair> chosen = new ArrayList<>();
        for (int i : indices) chosen.add(pairs.get(i));
        return new SegmentationSet(chosen, classNames, config);
    }
}
