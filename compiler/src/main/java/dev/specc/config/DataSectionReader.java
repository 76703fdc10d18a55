package dev.specc.config;

import dev.specc.diag.Diagnostics;
import dev.specc.diag.SourcePos;
import dev.specc.diag.Suggest;
import dev.specc.load.SList;
import dev.specc.load.SMap;
import dev.specc.load.SNode;
import dev.specc.load.SScalar;
import dev.specc.resolve.ValueReader;
import dev.specc.resolve.ValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads and range-checks the keys of {@code data:}, reporting each problem at its value. */
final class DataSectionReader {
    private final SMap section;
    private final Map<String, Object> names;
    private final Diagnostics diagnostics;
    private final ValueReader values;

    DataSectionReader(SMap section, Map<String, Object> names, Diagnostics diagnostics) {
        this.section = section;
        this.names = names;
        this.diagnostics = diagnostics;
        this.values = new ValueReader(diagnostics);
    }

    DataConfig read() {
        DataConfig defaults = DataConfig.defaults();
        DataConfig.Source source = choice(section, "source", DataConfig.Source.class, defaults.source());
        String path = string(section, "path");
        if (source.needsPath() && path == null) {
            diagnostics.error(section.has("source") ? section.get("source").pos() : section.pos(),
                    "data.path: source " + source.spelling() + " needs a path");
        }
        double validationSplit = number(section, "validation_split", defaults.validationSplit());
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            error("validation_split", "must be at least 0 and less than 1, got " + validationSplit);
            validationSplit = defaults.validationSplit();
        }
        double rescale = number(section, "rescale", defaults.rescale());
        if (!(rescale > 0) || Double.isInfinite(rescale)) {
            error("rescale", "must be a positive number (1 keeps pixel values 0..255), got " + rescale);
            rescale = defaults.rescale();
        }
        Normalization normalization = normalization();
        if (normalization != null && normalization.preset() != null) {
            if (section.has("rescale")) {
                error("rescale", "normalize: " + normalization.preset().spelling() + " takes the 0-255 pixels and scales "
                        + "them itself; remove rescale");
            }
            rescale = 1;
        }
        return new DataConfig(source, path, imageSize(), choice(section, "color_mode", ColorMode.class, null),
                validationSplit, integer(section, "seed", defaults.seed()), rescale, normalization, augment(),
                (int) atLeastOne(section, "workers", defaults.workers()),
                (int) atLeastOne(section, "prefetch", defaults.prefetch()), classNames(source), hdf5(source),
                choice(section, "cache", DataConfig.Cache.class, null), segmentation(source));
    }

    /** test_path and datasets: read for the hdf5 source; written for another, they are ignored, which a warning says. */
    private Hdf5Config hdf5(DataConfig.Source source) {
        Hdf5Config defaults = Hdf5Config.defaults();
        if (source != DataConfig.Source.HDF5) {
            for (String key : List.of("test_path", "datasets")) {
                if (section.has(key)) {
                    diagnostics.warning(section.get(key).pos(), "data." + key + ": only the hdf5 source reads it; ignored by "
                            + "source " + source.spelling());
                }
            }
            return defaults;
        }
        SMap names = section.get("datasets") instanceof SMap map ? map : null;
        return new Hdf5Config(string(section, "test_path"),
                datasetName(names, "train_x", defaults.trainImages()), datasetName(names, "train_y", defaults.trainLabels()),
                datasetName(names, "test_x", defaults.testImages()), datasetName(names, "test_y", defaults.testLabels()),
                datasetName(names, "classes", defaults.classes()), names != null && names.has("classes"));
    }

    private String datasetName(SMap names, String key, String absent) {
        SNode node = names == null ? null : names.get(key);
        if (node == null) return absent;
        String name = (String) values.read(node, ValueType.STRING, this.names, "data.datasets." + key);
        if (name == null) return absent;
        if (name.isBlank()) {
            diagnostics.error(node.pos(), "data.datasets." + key + ": expected a dataset name, got an empty string");
            return absent;
        }
        return name;
    }

    /** data.segmentation (only with source segmentation), and the augmentations image/mask pairs take. */
    private SegmentationConfig segmentation(DataConfig.Source source) {
        SNode node = section.get("segmentation");
        if (source != DataConfig.Source.SEGMENTATION) {
            if (node != null) diagnostics.error(node.pos(), "data.segmentation: only for source segmentation");
            return SegmentationConfig.DEFAULTS;
        }
        if (section.has("cache")) {
            diagnostics.warning(section.get("cache").pos(), "data.cache: image/mask pairs are decoded and augmented batch by "
                    + "batch, never cached; ignored by source segmentation");
        }
        if (section.get("augment") instanceof SMap augment) {
            for (SMap.Entry e : augment.entries()) {
                if (!SEGMENTATION_AUGMENTS.contains(e.key())) {
                    diagnostics.error(e.keyPos(), "data.augment." + e.key() + ": not applied to image/mask pairs; a "
                            + "segmentation source takes " + String.join(", ", SEGMENTATION_AUGMENTS)
                            + " and data.segmentation.random_scale");
                }
            }
        }
        if (!(node instanceof SMap map)) return SegmentationConfig.DEFAULTS;
        long ignore = integer(map, "ignore_index", SegmentationConfig.DEFAULT_IGNORE_INDEX);
        if (ignore < 0 || ignore > 255) {
            diagnostics.error(map.get("ignore_index").pos(), "data.segmentation.ignore_index: masks hold 0 to 255, got " + ignore);
            ignore = SegmentationConfig.DEFAULT_IGNORE_INDEX;
        }
        double scale = range(map, "random_scale", 0, 1, false, "a fraction from 0 to less than 1");
        return new SegmentationConfig((int) ignore, palette(map), scale);
    }

    private static final List<String> SEGMENTATION_AUGMENTS = List.of("horizontal_flip", "rotation");

    private List<int[]> palette(SMap map) {
        SNode node = map.get("palette");
        if (node == null) return null;
        if (!(node instanceof SList list) || list.size() == 0) {
            diagnostics.error(node.pos(), "data.segmentation.palette: expected a list of [red, green, blue] colours, got "
                    + node.describe());
            return null;
        }
        List<int[]> colours = new ArrayList<>();
        for (SNode item : list.items()) {
            if (!(item instanceof SList rgb) || rgb.size() != 3) {
                diagnostics.error(item.pos(), "data.segmentation.palette: each colour is [red, green, blue], got " + item.describe());
                colours.add(new int[3]);
                continue;
            }
            int[] colour = new int[3];
            for (int i = 0; i < 3; i++) {
                Long v = (Long) values.read(rgb.get(i), ValueType.INT, names, "data.segmentation.palette");
                if (v != null && (v < 0 || v > 255)) {
                    diagnostics.error(rgb.get(i).pos(), "data.segmentation.palette: colour values are 0 to 255, got " + v);
                }
                colour[i] = v == null ? 0 : (int) Math.max(0, Math.min(255, v));
            }
            colours.add(colour);
        }
        return colours;
    }

    private DataConfig.ImageSize imageSize() {
        SNode node = section.get("image_size");
        if (node == null) return null;
        List<SNode> sides = node instanceof SList list ? list.items() : List.of(node, node);
        if (sides.size() != 2) {
            diagnostics.error(node.pos(), "data.image_size: expected [height, width] or one integer, got "
                    + sides.size() + " entries");
            return null;
        }
        Long height = (Long) values.read(sides.get(0), ValueType.INT, names, "data.image_size");
        Long width = (Long) values.read(sides.get(1), ValueType.INT, names, "data.image_size");
        if (height == null || width == null) return null;
        if (height < 1 || width < 1 || height > 16384 || width > 16384) {
            diagnostics.error(node.pos(), "data.image_size: sides must be 1 to 16384 pixels, got "
                    + height + "x" + width);
            return null;
        }
        return new DataConfig.ImageSize(height.intValue(), width.intValue());
    }

    private Normalization normalization() {
        SNode node = section.get("normalize");
        if (node instanceof SScalar) {
            Normalization.Preset preset = choice(section, "normalize", Normalization.Preset.class, null);
            return preset == null ? null : Normalization.of(preset, node.pos());
        }
        if (!(node instanceof SMap map)) return null;
        List<Double> mean = numbers(map, "mean", 0.0);
        List<Double> std = numbers(map, "std", 1.0);
        for (int i = 0; i < std.size(); i++) {
            if (!(std.get(i) > 0)) {
                diagnostics.error(((SList) map.get("std")).get(i).pos(), "data.normalize.std: must be positive, got "
                        + std.get(i));
            }
        }
        for (String key : List.of("mean", "std")) {
            int size = key.equals("mean") ? mean.size() : std.size();
            if (size != 1 && size != 3) {
                diagnostics.error(map.get(key).pos(), "data.normalize." + key
                        + ": expected 1 entry (every channel) or 3 (red, green, blue), got " + size);
            }
        }
        return new Normalization(mean, std, map.pos());
    }

    private List<Double> numbers(SMap map, String key, double absent) {
        SNode node = map.get(key);
        if (node == null) return List.of(absent);
        if (!(node instanceof SList list)) {
            Double one = (Double) values.read(node, ValueType.FLOAT, names, "data.normalize." + key);
            return List.of(one == null ? absent : one);
        }
        List<Double> numbers = new ArrayList<>();
        for (SNode item : list.items()) {
            Double value = (Double) values.read(item, ValueType.FLOAT, names, "data.normalize." + key);
            numbers.add(value == null ? absent : value);
        }
        return numbers;
    }

    private AugmentConfig augment() {
        if (!(section.get("augment") instanceof SMap map)) return AugmentConfig.NONE;
        return new AugmentConfig(bool(map, "horizontal_flip"), bool(map, "vertical_flip"),
                range(map, "rotation", 0, 360, true, "degrees from 0 to 360"),
                range(map, "width_shift", 0, 1, false, "a fraction of the width from 0 to less than 1"),
                range(map, "height_shift", 0, 1, false, "a fraction of the height from 0 to less than 1"),
                range(map, "zoom", 0, 1, false, "a fraction from 0 to less than 1"),
                range(map, "shear", 0, 90, false, "degrees from 0 to less than 90"),
                (int) Math.min(Integer.MAX_VALUE, nonNegative(map, "random_crop")),
                choice(map, "fill_mode", FillMode.class, FillMode.NEAREST));
    }

    private List<String> classNames(DataConfig.Source source) {
        SNode node = section.get("class_names");
        if (node == null && source == DataConfig.Source.SEGMENTATION) {
            diagnostics.error(section.has("source") ? section.get("source").pos() : section.pos(),
                    "data.class_names: a segmentation source needs its class names (its masks hold class indices, 0 first)");
        }
        if (node == null) return null;
        if (!(node instanceof SList list) || list.size() == 0) {
            diagnostics.error(node.pos(), "data.class_names: expected a non-empty list of names, got " + node.describe());
            return null;
        }
        List<String> result = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (SNode item : list.items()) {
            String name = (String) values.read(item, ValueType.STRING, names, "data.class_names");
            if (name == null) continue;
            if (!seen.add(name)) diagnostics.error(item.pos(), "data.class_names: '" + name + "' is listed twice");
            result.add(name);
        }
        return result;
    }

    private <E extends Enum<E>> E choice(SMap map, String key, Class<E> type, E absent) {
        SNode node = map.get(key);
        if (node == null) return absent;
        String text = (String) values.read(node, ValueType.STRING, names, "data." + key);
        if (text == null) return absent;
        List<String> allowed = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            String spelling = constant.name().toLowerCase(Locale.ROOT);
            if (spelling.equals(text)) return constant;
            allowed.add(spelling);
        }
        diagnostics.error(node.pos(), "data." + key + ": unknown value '" + text + "'"
                + Suggest.didYouMean(text, allowed) + "; allowed: " + String.join(", ", allowed));
        return absent;
    }

    private String string(SMap map, String key) {
        SNode node = map.get(key);
        return node == null ? null : (String) values.read(node, ValueType.STRING, names, "data." + key);
    }

    private boolean bool(SMap map, String key) {
        SNode node = map.get(key);
        if (node == null) return false;
        Boolean value = (Boolean) values.read(node, ValueType.BOOL, names, "data.augment." + key);
        return value != null && value;
    }

    private double number(SMap map, String key, double absent) {
        SNode node = map.get(key);
        if (node == null) return absent;
        Double value = (Double) values.read(node, ValueType.FLOAT, names, "data." + key);
        return value == null ? absent : value;
    }

    private long integer(SMap map, String key, long absent) {
        SNode node = map.get(key);
        if (node == null) return absent;
        Long value = (Long) values.read(node, ValueType.INT, names, "data." + key);
        return value == null ? absent : value;
    }

    private long atLeastOne(SMap map, String key, long absent) {
        long value = integer(map, key, absent);
        if (value >= 1 && value <= 1024) return value;
        diagnostics.error(map.get(key).pos(), "data." + key + ": must be 1 to 1024, got " + value);
        return absent;
    }

    private long nonNegative(SMap map, String key) {
        SNode node = map.get(key);
        if (node == null) return 0;
        Long value = (Long) values.read(node, ValueType.INT, names, "data.augment." + key);
        if (value == null) return 0;
        if (value >= 0) return value;
        diagnostics.error(node.pos(), "data.augment." + key + ": must be 0 or more pixels, got " + value);
        return 0;
    }

    private double range(SMap map, String key, double low, double high, boolean highIncluded, String meaning) {
        SNode node = map.get(key);
        if (node == null) return 0;
        Double value = (Double) values.read(node, ValueType.FLOAT, names, "data.augment." + key);
        if (value == null) return 0;
        boolean inRange = value >= low && (highIncluded ? value <= high : value < high);
        if (inRange) return value;
        diagnostics.error(node.pos(), "data.augment." + key + ": must be " + meaning + ", got " + value);
        return 0;
    }

    private void error(String key, String message) {
        SourcePos pos = section.get(key).pos();
        diagnostics.error(pos, "data." + key + ": " + message);
    }
}
