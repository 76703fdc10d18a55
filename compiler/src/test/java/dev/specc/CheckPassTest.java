package dev.specc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specc.config.DataConfig;
import dev.specc.config.DataLocation;
import dev.specc.diag.Diagnostic;
import dev.specc.diag.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Pipeline#check}, the one pass of validate and run: every value run would reject is
 * reported, with file, line and column, together with the errors of every other section.
 */
class CheckPassTest {
    @TempDir
    Path dir;

    /** A network that is fine: 28x28x1 in, 10-way softmax out. Its train: and data: follow at line 7. */
    private static final String NETWORK = """
            specc: 1
            name: net
            input: {shape: [28, 28, 1]}
            head:
              - {kind: flatten, name: flatten}
              - {kind: dense, name: predictions, units: 10, activation: softmax}
            """;

    private Path spec(String yaml) throws IOException {
        Path file = dir.resolve("net.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private Pipeline.Checked check(String yaml, List<String> sets, String data, Pipeline.DataCheck dataCheck)
            throws Exception {
        return Pipeline.check(spec(yaml), new Pipeline.Options(null, sets, data, dataCheck));
    }

    private List<Diagnostic> problems(String yaml, List<String> sets, String data) throws IOException {
        Path file = spec(yaml);
        SpecException e = assertThrows(SpecException.class,
                () -> Pipeline.check(file, new Pipeline.Options(null, sets, data, Pipeline.DataCheck.REPORTED)));
        e.diagnostics().forEach(System.out::println);
        return e.errors();
    }

    private List<Diagnostic> problems(String yaml) throws IOException {
        return problems(yaml, List.of(), null);
    }

    private static void assertAt(Diagnostic d, int line, int column, String message) {
        assertEquals(line + ":" + column, d.pos().line() + ":" + d.pos().column(), d.toString());
        assertTrue(d.message().contains(message), () -> "expected '" + message + "' in: " + d);
    }

    private static void assertOnly(List<Diagnostic> problems, int line, int column, String message) {
        assertEquals(1, problems.size(), problems.toString());
        assertAt(problems.get(0), line, column, message);
        assertTrue(problems.get(0).isError(), problems.get(0).toString());
    }

    @Test
    void trainValuesRunRejectsAreErrorsThatSayWhatWasExpected() throws IOException {
        assertOnly(problems(NETWORK + "train:\n  epochs: abc\n"), 8, 11,
                "train.epochs: expected an integer (or an expression over params), got 'abc': unknown name 'abc'");
        assertOnly(problems(NETWORK + "train:\n  epochs: 0\n"), 8, 11, "train.epochs: expected an integer >= 1, got 0");
        assertOnly(problems(NETWORK + "train:\n  batch_size: -4\n"), 8, 15, "train.batch_size: expected an integer >= 1, got -4");
        assertOnly(problems(NETWORK + "train:\n  optimizer: {type: sgd, learning_rate: fast}\n"), 8, 41,
                "train.optimizer.learning_rate: expected a number (or an expression over params), got 'fast'");
        assertOnly(problems(NETWORK + "train:\n  optimizer: {type: sgd, learning_rate: -0.1}\n"), 8, 41,
                "train.optimizer.learning_rate: expected a number > 0.0, got -0.1");
    }

    @Test
    void dataValuesRunRejectsAreErrors() throws IOException {
        assertOnly(problems(NETWORK + "data:\n  validation_split: 1.5\n"), 8, 21,
                "data.validation_split: must be at least 0 and less than 1, got 1.5");
        assertOnly(problems(NETWORK + "data:\n  rescale: tiny\n"), 8, 12,
                "data.rescale: expected a number (or an expression over params), got 'tiny'");
        assertOnly(problems(NETWORK + "data:\n  image_size: [0, 0]\n"), 8, 15,
                "data.image_size: sides must be 1 to 16384 pixels, got 0x0");
    }

    /** A class map needs image/mask pairs and the reverse; class names, weights and augmentations are checked too. */
    @Test
    void segmentationSpecsAreCheckedBeforeTheRun() throws IOException {
        Files.createDirectories(dir.resolve("pairs/images"));
        Files.createDirectories(dir.resolve("pairs/masks"));
        Files.writeString(dir.resolve("pairs/images/a.png"), "");
        Files.writeString(dir.resolve("pairs/masks/a.png"), "");
        String map = """
                specc: 1
                name: seg
                input: {shape: [8, 8, 3]}
                head:
                  - {kind: conv2d, name: seg, filters: 2, kernel: 1}
                  - {kind: log_softmax, name: softmax}
                """;
        assertAt(problems(map).get(0), 6, 5, "the last layer 'softmax' outputs a class map (8x8x2): train it on image/mask "
                + "pairs (data.source: segmentation), not on data source fashion_mnist_subset");
        String data = "data:\n  source: segmentation\n  path: pairs\n";
        assertOnly(problems(map + data), 8, 11,
                "data.class_names: a segmentation source needs its class names (its masks hold class indices, 0 first)");
        assertOnly(problems(NETWORK + data + "  class_names: [a, b]\n"), 8, 11,
                "data.source segmentation labels every pixel, but the last layer 'predictions' outputs 10, not a class map");
        assertOnly(problems(map + data + "  class_names: [a, b]\n  augment: {zoom: 0.1}\n"), 11, 13,
                "data.augment.zoom: not applied to image/mask pairs; a segmentation source takes horizontal_flip, rotation "
                        + "and data.segmentation.random_scale");
        assertOnly(problems(map + data + "  class_names: [a, b]\ntrain:\n  class_weights: [1, 2, 3]\n"), 12, 18,
                "train.class_weights: 3 weights for 2 classes");
        assertOnly(problems(map.replace("kernel: 1}", "kernel: 2, strides: 2}") + data + "  class_names: [a, b]\n"), 6, 5,
                "the class map of the last layer 'softmax' is 4x4, but masks are read at the input size 8x8");
    }

    @Test
    void aGreyImageNetworkRefusesTheRgbPresets() throws Exception {
        assertOnly(problems(NETWORK + "data:\n  normalize: torch\n"), 8, 14,
                "data.normalize: torch holds ImageNet's statistics of RGB images, but the model input is 28x28x1");
        assertOnly(problems(NETWORK + "data:\n  normalize: caffe\n"), 8, 14, "data.normalize: caffe holds ImageNet's");
        assertOnly(problems(NETWORK + "data:\n  normalize: torchvision\n"), 8, 14, "normalize");
        Pipeline.Checked tf = check(NETWORK + "data:\n  normalize: tf\n", List.of(), null, Pipeline.DataCheck.SKIPPED);
        assertEquals(dev.specc.config.Normalization.Preset.TF, tf.data().normalize().preset());
    }

    @Test
    void dataPathsAreCheckedOnThisMachineAndSaySo() throws IOException {
        Path missing = dir.resolve("nowhere");
        assertOnly(problems(NETWORK + "data:\n  source: folder\n  path: " + missing + "\n"), 9, 9,
                "data.path: no such file or folder: " + missing + " (checked on this machine)");
        assertOnly(problems(NETWORK + "data:\n  source: idx\n  path: pics\n"), 9, 9,
                "data.path: no such file or folder: pics, neither in " + dir.toAbsolutePath() + " nor in a folder above it");
        Files.createDirectories(dir.resolve("empty"));
        assertOnly(problems(NETWORK + "data:\n  source: folder\n  path: empty\n"), 9, 9,
                "no class subfolders (one folder of images per class is expected) (checked on this machine)");
        assertOnly(problems(NETWORK + "data:\n  source: idx\n  path: empty\n"), 9, 9,
                "no train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]");
        assertOnly(problems(NETWORK + "data:\n  source: cifar10\n  path: empty\n"), 9, 9, "no data_batch_1.bin");
    }

    @Test
    void theClassesOfAFolderAreCountedBeforeTheRun() throws Exception {
        for (String name : List.of("cat", "dog", "fox")) Files.createDirectories(dir.resolve("pics").resolve(name));
        String twoOutputs = NETWORK.replace("units: 10", "units: 2") + "data:\n  source: folder\n  path: pics\n";
        assertOnly(problems(twoOutputs), 6, 5, "the network has 2 outputs but the data folder "
                + dir.toAbsolutePath().resolve("pics") + " has 3 class subfolders (cat, dog, fox)");
        String binary = NETWORK.replace("units: 10, activation: softmax", "units: 1, activation: sigmoid")
                + "data:\n  source: folder\n  path: pics\n";
        assertOnly(problems(binary), 6, 5, "binary cross-entropy needs two classes, but the data folder");
        Files.createDirectories(dir.resolve("split/train/a"));
        Files.createDirectories(dir.resolve("split/train/b"));
        Files.createDirectories(dir.resolve("split/test/a"));
        String split = binary.replace("path: pics", "path: split");
        assertEquals(List.of(), check(split, List.of(), null, Pipeline.DataCheck.REQUIRED).warnings(),
                "train/'s two classes, not the folder's train and test");
        assertEquals(List.of(), check(twoOutputs.replace("units: 2", "units: 3"), List.of(), null,
                Pipeline.DataCheck.REQUIRED).warnings());
    }

    @Test
    void theClassesOfIdxFilesAreTheirLargestLabelPlusOne() throws Exception {
        Path idx = Files.createDirectories(dir.resolve("idx"));
        Files.write(idx.resolve("train-images-idx3-ubyte"), new byte[0]);  // only its presence is checked here
        Files.write(idx.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 4, 11, 2});
        assertOnly(problems(NETWORK + "data:\n  source: idx\n  path: idx\n"), 6, 5, "the network has 10 outputs but "
                + "the IDX labels in " + dir.toAbsolutePath().resolve("idx") + " go up to 11 (12 classes)");
        Files.write(idx.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 4, 9, 2});
        assertEquals(List.of(), check(NETWORK + "data:\n  source: idx\n  path: idx\n", List.of(), null,
                Pipeline.DataCheck.REQUIRED).warnings());
    }

    @Test
    void theClassesOfCifarAreTheOnesItsMetaFileLists() throws Exception {
        Path cifar = Files.createDirectories(dir.resolve("cifar"));
        for (String file : DataLocation.CIFAR_TRAINING_FILES) Files.write(cifar.resolve(file), new byte[0]);
        Files.write(cifar.resolve(DataLocation.CIFAR_TEST_FILE), new byte[0]);
        String yaml = NETWORK + "data:\n  source: cifar10\n  path: cifar\n";
        assertEquals(List.of(), check(yaml, List.of(), null, Pipeline.DataCheck.REQUIRED).warnings(), "the standard ten");
        Files.writeString(cifar.resolve(DataLocation.CIFAR_META), String.join("\n",
                List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l")) + "\n");
        assertOnly(problems(yaml), 6, 5, "the network has 10 outputs but " + dir.toAbsolutePath().resolve("cifar")
                .resolve(DataLocation.CIFAR_META) + " lists 12 classes");
        Files.writeString(cifar.resolve(DataLocation.CIFAR_META), "cat\ndog\n");
        assertEquals(List.of(), check(yaml, List.of(), null, Pipeline.DataCheck.REQUIRED).warnings(), "two of ten outputs");
    }

    @Test
    void initFromIsLookedForWhereRunLooksForIt() throws Exception {
        Path missing = dir.toAbsolutePath().resolve("weights/pretrained.safetensors");
        assertOnly(problems(NETWORK + "train:\n  init_from: weights/pretrained.safetensors\n"), 8, 14,
                "train.init_from: no such file: " + missing + " (checked on this machine)");
        Files.createDirectories(missing.getParent());
        assertOnly(problems(NETWORK + "train:\n  init_from: weights\n"), 8, 14,
                "train.init_from: a folder, not a file of weights: " + missing.getParent());
        Files.writeString(missing, "weights");
        String yaml = NETWORK + "train:\n  init_from: weights/pretrained.safetensors\ndata:\n  path: no-such-data\n";
        Pipeline.Checked checked = check(yaml, List.of(), null, Pipeline.DataCheck.SKIPPED);
        assertEquals(missing, checked.train().initFromFile(dir.resolve("net.yaml")), "the file run reads");
        Files.delete(missing);
        assertEquals(List.of(), check(yaml, List.of(), null, Pipeline.DataCheck.SKIPPED).warnings(),
                "predict and export load no initial weights");
        // The data is missing too: only that is reported for eval and resume, which take the weights from their
        // checkpoint; a run from the start needs the initial weights as well.
        SpecException dataOnly = assertThrows(SpecException.class,
                () -> check(yaml, List.of(), null, Pipeline.DataCheck.DATA_ONLY));
        assertTrue(dataOnly.errors().stream().noneMatch(d -> d.message().contains("init_from")),
                dataOnly.errors().toString());
        SpecException fromStart = assertThrows(SpecException.class,
                () -> check(yaml, List.of(), null, Pipeline.DataCheck.REQUIRED));
        assertTrue(fromStart.errors().stream().anyMatch(d -> d.message().startsWith("train.init_from: no such file")),
                fromStart.errors().toString());
    }

    @Test
    void aMissingDefaultPlaceWarnsInValidateAndStopsRun() throws Exception {
        // The shipped subset is looked up from the spec's folder upwards: not found from a fresh temporary folder.
        for (Path above = dir.toAbsolutePath(); above != null; above = above.getParent()) {
            Assumptions.assumeFalse(Files.isDirectory(above.resolve(DataLocation.SUBSET_DIR)), "a subset above " + dir);
        }
        String yaml = NETWORK + "data:\n  source: fashion_mnist_subset\n";
        Pipeline.Checked checked = check(yaml, List.of(), null, Pipeline.DataCheck.REPORTED);
        assertEquals(1, checked.warnings().size(), checked.warnings().toString());
        assertAt(checked.warnings().get(0), 8, 11, "data.source fashion_mnist_subset: no " + DataLocation.SUBSET_DIR + " in "
                + dir.toAbsolutePath());
        SpecException e = assertThrows(SpecException.class, () -> check(yaml, List.of(), null, Pipeline.DataCheck.REQUIRED));
        assertOnly(e.diagnostics(), 8, 11, "(checked on this machine)");
        assertEquals(List.of(), check(yaml, List.of(), null, Pipeline.DataCheck.SKIPPED).warnings());
    }

    @Test
    void aMissingInstalledSourceSaysHowToInstallIt() throws Exception {
        Assumptions.assumeFalse(Files.isDirectory(DataLocation.MNIST_DIR), "MNIST is installed on this machine");
        String yaml = NETWORK + "data:\n  source: mnist\n";
        Pipeline.Checked checked = check(yaml, List.of(), null, Pipeline.DataCheck.REPORTED);
        assertEquals(1, checked.warnings().size(), checked.warnings().toString());
        assertAt(checked.warnings().get(0), 8, 11, "data.source mnist: MNIST is not installed at /usr/share/datasets/mnist");
        SpecException e = assertThrows(SpecException.class, () -> check(yaml, List.of(), null, Pipeline.DataCheck.REQUIRED));
        assertOnly(e.diagnostics(), 8, 11, "(checked on this machine)");
        assertEquals(List.of(), check(yaml, List.of(), null, Pipeline.DataCheck.SKIPPED).warnings());
    }

    @Test
    void theLossMustFitTheLastActivation() throws IOException {
        assertOnly(problems(NETWORK + "train:\n  loss: binary_crossentropy\n"), 8, 9,
                "train.loss: binary_crossentropy needs the network to end in a sigmoid, but its last layer 'predictions' "
                        + "ends in a softmax");
        String sigmoid = NETWORK.replace("units: 10, activation: softmax", "units: 1, activation: sigmoid");
        assertOnly(problems(sigmoid + "train:\n  loss: categorical_crossentropy\n"), 8, 9,
                "train.loss: categorical_crossentropy needs the network to end in a softmax, but its last layer "
                        + "'predictions' ends in a sigmoid");
        assertOnly(problems(NETWORK.replace(", activation: softmax", "")), 6, 5,
                "the network must end in a softmax or a sigmoid to be trained with cross-entropy; its last layer "
                        + "'predictions' ends in no activation");
        String threeSigmoids = NETWORK.replace("units: 10, activation: softmax", "units: 3, activation: sigmoid");
        assertOnly(problems(threeSigmoids), 6, 5, "binary cross-entropy needs one sigmoid output; its last layer "
                + "'predictions' has 3");
        assertOnly(problems(sigmoid + "data:\n  source: mnist\n"), 6, 5,
                "binary cross-entropy needs two classes, but data source mnist has 10 classes");
    }

    @Test
    void fewerOutputsThanTheDataHasClassesIsAnError() throws IOException {
        String three = "specc: 1\nparams: {classes: 3}\n" + NETWORK.substring("specc: 1\n".length()).replace("units: 10", "units: classes");
        assertOnly(problems(three + "data:\n  source: cifar10\n  path: x\n  class_names: [a, b, c, d]\n",
                        List.of(), null).stream().filter(d -> !d.message().contains("data.path")).toList(),
                7, 5, "the network has 3 outputs but data.class_names lists 4 classes (set params.classes: 4)");
    }

    @Test
    void everySectionIsReportedInOnePass() throws IOException {
        List<Diagnostic> all = problems("""
                specc: 1
                input: {shape: [28, 28, 1]}
                head:
                  - {kind: max_pool, name: pool, pool: 64}
                  - {kind: flatten, name: flatten}
                  - {kind: dense, name: predictions, units: 10, activation: softmax}
                train:
                  epochs: abc
                data:
                  rescale: -1
                  path: /nonexistent/pics
                  source: folder
                """);
        assertEquals(4, all.size(), all.toString());
        assertAt(all.get(0), 4, 5, "pool");
        assertAt(all.get(1), 8, 11, "train.epochs: expected an integer");
        assertAt(all.get(2), 10, 12, "data.rescale: must be a positive number");
        assertAt(all.get(3), 11, 9, "data.path: no such file or folder: /nonexistent/pics (checked on this machine)");
    }

    @Test
    void aSetDoesNotHideTheSpecsOwnBadValue() throws IOException {
        List<Diagnostic> all = problems(NETWORK + "train:\n  epochs: abc\n", List.of("train.epochs=1"), null);
        assertOnly(all, 8, 11, "train.epochs: expected an integer (or an expression over params), got 'abc'");
        assertTrue(all.get(0).message().endsWith("(hidden by --set train.epochs=1, but the spec stays wrong)"), all.toString());
    }

    @Test
    void aSetOfAnUnknownKeyNamesTheSetNotTheSpec() throws IOException {
        List<Diagnostic> all = problems(NETWORK, List.of("nosuch.key=1"), null);
        assertEquals(1, all.size(), all.toString());
        assertEquals("--set nosuch.key=1", all.get(0).pos().file());
        assertTrue(all.get(0).message().startsWith("unknown key 'nosuch' in a spec"), all.toString());
    }

    @Test
    void dataOptionMistakesAreReportedAtTheOption() throws IOException {
        List<Diagnostic> missing = problems(NETWORK, List.of(), "/nonexistent");
        assertEquals(1, missing.size(), missing.toString());
        assertEquals("--data /nonexistent:1:8: error: no such file or folder (checked on this machine); expected a folder "
                + "or one of fashion_mnist_subset, fashion_mnist, mnist, cifar10", missing.get(0).toString());
        List<Diagnostic> typo = problems(NETWORK, List.of(), "mnst");
        assertEquals(1, typo.size(), typo.toString());
        assertTrue(typo.get(0).toString().startsWith("--data mnst:1:8: error: not a source name (did you mean 'mnist'?)"),
                typo.toString());
        List<Diagnostic> noPath = problems(NETWORK, List.of(), "cifar10");
        assertEquals(1, noPath.size(), noPath.toString());
        assertEquals("--data cifar10", noPath.get(0).pos().file());
        assertTrue(noPath.get(0).message().contains("cifar10 has no standard place on this machine; give the folder of its "
                + "files instead (--data PATH, the folder with data_batch_1.bin)"), noPath.toString());
        assertTrue(noPath.stream().noneMatch(d -> d.toString().contains("--set")), noPath.toString());
    }

    @Test
    void aDataOptionPathChoosesTheSourceByItsFiles() throws Exception {
        Files.createDirectories(dir.resolve("pics/cat"));
        Pipeline.Checked checked = check(NETWORK, List.of(), dir.resolve("pics").toString(), Pipeline.DataCheck.REQUIRED);
        assertEquals(DataConfig.Source.FOLDER, checked.data().source());
        assertEquals(dir.resolve("pics").toAbsolutePath().toString(), checked.data().path());
    }

    @Test
    void misleadingScheduleSettingsAreWarnings() throws Exception {
        Pipeline.Checked step = check(NETWORK + "train:\n  schedule: {type: step}\n", List.of(), null,
                Pipeline.DataCheck.SKIPPED);
        assertEquals(1, step.warnings().size(), step.warnings().toString());
        assertAt(step.warnings().get(0), 8, 13, "train.schedule: a step schedule without every and factor multiplies the "
                + "learning rate by 0.1 every 10 epochs (the defaults)");
        Pipeline.Checked everyEpoch = check(NETWORK + "train:\n  schedule: {type: step, every: 1}\n", List.of(), null,
                Pipeline.DataCheck.SKIPPED);
        assertEquals(1, everyEpoch.warnings().size(), everyEpoch.warnings().toString());
        assertAt(everyEpoch.warnings().get(0), 8, 13, "train.schedule: a step schedule without factor multiplies the "
                + "learning rate by 0.1 every epoch (the default factor); write every: and factor: to choose");
        Pipeline.Checked cosine = check(NETWORK + "train:\n  epochs: 3\n  schedule: {type: cosine, warmup_epochs: 5}\n",
                List.of(), null, Pipeline.DataCheck.SKIPPED);
        assertEquals(1, cosine.warnings().size(), cosine.warnings().toString());
        assertAt(cosine.warnings().get(0), 9, 43, "train.schedule.warmup_epochs: 5 warm-up epochs in a run of 3 "
                + "(train.epochs): the learning rate only rises and never decays");
        Pipeline.Checked explicit = check(NETWORK + "train:\n  schedule: {type: step, every: 3, factor: 0.5}\n",
                List.of(), null, Pipeline.DataCheck.SKIPPED);
        assertEquals(List.of(), explicit.warnings());
    }

    @Test
    void aLayerWeightDecayPatternThatMatchesNoLayerIsAnError() throws Exception {
        List<Diagnostic> all = problems(NETWORK + "train:\n  layer_weight_decay: {predictons: 0.1, \"conv*\": 0.2}\n");
        assertEquals(2, all.size(), all.toString());
        assertAt(all.get(0), 8, 24, "train.layer_weight_decay: 'predictons' matches no layer with a kernel (did you mean "
                + "'predictions'?); layers with kernels: predictions");
        assertAt(all.get(1), 8, 41, "train.layer_weight_decay: 'conv*' matches no layer with a kernel; layers with "
                + "kernels: predictions");
        Pipeline.Checked ok = check(NETWORK + "train:\n  layer_weight_decay: {\"pred*\": 0.1}\n", List.of(), null,
                Pipeline.DataCheck.SKIPPED);
        assertEquals(0.1, ok.train().layerWeightDecay().get("pred*"));
    }

    @Test
    void theImageSizeOfTheDataSizesTheNetworkInput() throws Exception {
        Pipeline.Checked checked = check(NETWORK + "data:\n  image_size: [32, 40]\n", List.of(), null,
                Pipeline.DataCheck.SKIPPED);
        assertEquals("32x40x1", checked.analysis().model().inputShape().toString());
        assertEquals(32 * 40 * 10 + 10, checked.analysis().totalParams());
    }

    @Test
    void aTypeErrorOfTrainIsTheSchemasAndHidesNoOtherError() throws IOException {
        List<Diagnostic> all = problems(NETWORK.replace("{kind: flatten, name: flatten}", "{kind: max_pool, name: pool, pool: 64}")
                + "train:\n  epochs: [1, 2]\n  batch_size: 0\n");
        assertEquals(3, all.size(), all.toString());
        assertAt(all.get(0), 5, 5, "max_pool: spatial size drops to 0x0");
        assertAt(all.get(1), 8, 11, "train.epochs: expected an integer or an expression, got a list");
        assertAt(all.get(2), 9, 15, "train.batch_size: expected an integer >= 1, got 0");
    }

    @Test
    void anErrorBesideThePathOnOneLineDoesNotStopThePathsCheck() throws IOException {
        List<Diagnostic> all = problems(NETWORK + "data: {source: folder, path: /nonexistent/pics, validation_split: 1.5}\n");
        assertEquals(2, all.size(), all.toString());
        assertAt(all.get(0), 7, 30, "data.path: no such file or folder: /nonexistent/pics (checked on this machine)");
        assertAt(all.get(1), 7, 67, "data.validation_split: must be at least 0 and less than 1, got 1.5");
    }

    @Test
    void aFolderMustHaveTheClassFoldersTheSpecNames() throws IOException {
        Files.createDirectories(dir.resolve("pics/cat"));
        List<Diagnostic> all = problems(NETWORK + "data:\n  source: folder\n  path: pics\n  class_names: [cat, dog]\n");
        all = all.stream().filter(d -> !d.message().contains("outputs")).toList();
        assertOnly(all, 9, 9, "data.path: " + dir.resolve("pics").toAbsolutePath() + ": no folder for class 'dog' "
                + "(checked on this machine)");
    }

    @Test
    void runNeedsAnImageInputWithOneOrThreeChannels() throws Exception {
        String fourChannels = NETWORK.replace("[28, 28, 1]", "[28, 28, 4]");
        Pipeline.Checked validated = check(fourChannels, List.of(), null, Pipeline.DataCheck.REPORTED);
        assertTrue(validated.warnings().stream().anyMatch(w -> w.pos().line() == 3 && w.message().contains(
                "specc trains image networks ([height, width, channels] with 1 or 3 channels); this input is 28x28x4")),
                validated.warnings().toString());
        SpecException e = assertThrows(SpecException.class,
                () -> check(fourChannels, List.of(), null, Pipeline.DataCheck.REQUIRED));
        assertTrue(e.errors().stream().anyMatch(d -> d.pos().line() == 3 && d.pos().column() == 16
                && d.message().contains("this input is 28x28x4")), e.errors().toString());
    }
}
