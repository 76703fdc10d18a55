package dev.specc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specc.cli.TrainingCommandsTest.Result;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** specc weights, and PyTorch checkpoints given to train (--init-from, --mapping, train.init_from) and validate. */
class PyTorchWeightsCommandTest {
    static final Path FIXTURES = Path.of("../runtime/src/test/resources/pytorch").toAbsolutePath().normalize();

    @TempDir
    static Path dir;
    static Path spec;

    /** small.yaml (the network of small.pt) with a folder of five classes of 8x8 images to train on. */
    @BeforeAll
    static void makeData() throws IOException {
        for (int c = 0; c < 5; c++) {
            Path folder = Files.createDirectories(dir.resolve("images").resolve("class" + c));
            for (int i = 0; i < 2; i++) {
                BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                image.setRGB(c, i, 0xffffff);
                ImageIO.write(image, "png", folder.resolve(i + ".png").toFile());
            }
        }
        spec = dir.resolve("small.yaml");
        Files.writeString(spec, Files.readString(FIXTURES.resolve("small.yaml"))
                + "data: {source: folder, path: images, validation_split: 0.5}\ntrain: {epochs: 1, batch_size: 5}\n");
    }

    static Result specc(String... args) {
        return TrainingCommandsTest.specc(args);
    }

    @Test
    void weightsListsEveryVariableWithShapeDtypeAndTrainableFlag() throws IOException {
        Result text = specc("weights", FIXTURES.resolve("small.yaml").toString());
        assertEquals(0, text.code(), text.err());
        String[] lines = text.out().split("\n");
        assertEquals("Name                 Shape         Dtype    Trainable  Kind", lines[0]);
        assertEquals("conv1/kernel         [3, 3, 3, 4]  float32  yes        conv2d", lines[1]);
        assertEquals("bn1/moving_mean      [4]           float32  no         batch_norm", lines[4]);
        assertEquals("13 variables, 613 parameters (597 trainable)", lines[lines.length - 1]);
        Result json = specc("weights", FIXTURES.resolve("small.yaml").toString(), "--format", "json");
        JsonNode weights = new ObjectMapper().readTree(json.out()).get("weights");
        assertEquals(13, weights.size());
        assertEquals("{\"name\":\"fc/kernel\",\"shape\":[64,5],\"dtype\":\"float32\",\"trainable\":true,\"layer\":\"fc\","
                + "\"kind\":\"dense\"}", weights.get(11).toString());
    }

    @Test
    void trainStartsFromAPyTorchCheckpointThroughAMappingFile() {
        Result train = specc("train", spec.toString(), "--runs-dir", dir.resolve("runs").toString(), "--threads", "1",
                "--init-from", FIXTURES.resolve("small.pt").toString(), "--mapping", FIXTURES.resolve("small.mapping.yaml").toString());
        assertEquals(0, train.code(), train.out() + train.err());
        assertTrue(train.out().contains("initialised from " + FIXTURES.resolve("small.pt") + " (PyTorch checkpoint (torch.save), "
                + "mapping " + FIXTURES.resolve("small.mapping.yaml") + ", 2 tensors that are not weights skipped): loaded all "
                + "13 weights"), train.out());
    }

    @Test
    void aCheckpointThatDoesNotFitExitsWith2AndListsEveryDifference() {
        // Without --mapping the built-in mappings are tried; none knows small.pt's Sequential names.
        Result train = specc("train", spec.toString(), "--runs-dir", dir.resolve("runs-unfit").toString(),
                "--init-from", FIXTURES.resolve("small.pt").toString());
        assertEquals(2, train.code(), train.out() + train.err());
        assertTrue(train.err().contains("the weights do not match the model (13 missing, 13 unexpected); nothing was loaded"),
                train.err());
        assertTrue(train.err().contains("    classifier.weight [5, 64]\n"), train.err());
        assertTrue(train.err().contains("    fc/kernel [64, 5]\n"), train.err());
        assertTrue(train.err().contains("`specc weights SPEC` lists the model's weights"), train.err());
    }

    @Test
    void aMaliciousCheckpointIsRefusedWithTheGlobalItNamesAndNothingRuns() throws IOException {
        Path marker = dir.resolve("pwned");
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.writeBytes(new byte[] {(byte) 0x80, 2});
        pickle.writeBytes(("cos\nsystem\nX" + (char) ("touch " + marker).length() + "\0\0\0touch " + marker + "\u0085R.")
                .getBytes(StandardCharsets.ISO_8859_1));
        Path file = dir.resolve("evil.pt");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("evil/data.pkl"));
            zip.write(pickle.toByteArray());
            zip.closeEntry();
        }
        Result train = specc("train", spec.toString(), "--runs-dir", dir.resolve("runs-evil").toString(), "--init-from", file.toString());
        assertEquals(2, train.code(), train.out() + train.err());
        assertTrue(train.err().contains(file + ": not loaded as a PyTorch checkpoint: it names the global os.system, which a "
                + "PyTorch state dict does not need; specc refuses it and runs nothing from the file"), train.err());
        assertFalse(Files.exists(marker));
    }

    @Test
    void aCorruptInitFromFileOfEveryFormatExits2NamingTheFile() throws IOException {
        byte[] header = "{\"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 1600]}}"
                .getBytes(StandardCharsets.US_ASCII);
        java.nio.ByteBuffer safetensors = java.nio.ByteBuffer.allocate(8 + header.length + 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header);
        Path cutSafetensors = Files.write(dir.resolve("cut.safetensors"), safetensors.array());
        byte[] hdf5 = Files.readAllBytes(FIXTURES.resolve("../keras-h5/tiny_weights.h5"));
        Path cutH5 = Files.write(dir.resolve("cut.h5"), java.util.Arrays.copyOf(hdf5, 600));
        for (Path file : new Path[] {cutSafetensors, cutH5}) {
            Result train = specc("train", spec.toString(), "--runs-dir", dir.resolve("runs-cut").toString(),
                    "--init-from", file.toString());
            assertEquals(2, train.code(), train.out() + train.err());
            assertTrue(train.err().startsWith("specc: " + file + ": "), train.err());
            assertFalse(train.err().contains("internal error"), train.err());
        }
    }

    @Test
    void validateChecksTheFormatOfInitFromAndItsMapping() throws IOException {
        Files.writeString(dir.resolve("notes.pt"), "not weights");
        Files.copy(FIXTURES.resolve("small.pt"), dir.resolve("small.pt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path text = dir.resolve("text.yaml");
        Files.writeString(text, Files.readString(spec).replace("train: {epochs: 1, batch_size: 5}", "train: {init_from: notes.pt}"));
        Result notWeights = specc("validate", text.toString());
        assertEquals(2, notWeights.code(), notWeights.err());
        assertTrue(notWeights.err().contains(":17:20: error: train.init_from: " + dir.resolve("notes.pt") + ": not a weight file "
                + "specc reads (safetensors, a PyTorch checkpoint (torch.save zip) or Keras HDF5 (.h5)): its first bytes are "
                + "[110, 111, 116, 32, 119, 101, 105, 103]"), notWeights.err());

        Path inline = dir.resolve("inline.yaml");
        Files.writeString(inline, Files.readString(spec).replace("train: {epochs: 1, batch_size: 5}", """
                train:
                  init_from:
                    path: small.pt
                    mapping:
                      layers:
                        - {from: 'features.{I}', to: 'conv{J}'}
                      extends: torchvision-resnt
                """));
        Result mapping = specc("validate", inline.toString());
        assertEquals(2, mapping.code(), mapping.err());
        assertTrue(mapping.err().contains(":22:38: error: train.init_from.mapping.layers.to: {J} is not captured by the pattern (did you mean 'I'?); it captures I"),
                mapping.err());
        assertTrue(mapping.err().contains(":23:16: error: train.init_from.mapping.extends: no built-in mapping 'torchvision-resnt' (did you mean "
                + "'torchvision-resnet'?); the built-in ones are torchvision-resnet, fyu-drn"), mapping.err());

        Files.writeString(inline, Files.readString(spec).replace("train: {epochs: 1, batch_size: 5}",
                "train: {init_from: {path: small.pt, mapping: " + FIXTURES.resolve("small.mapping.yaml") + "}}"));
        Result good = specc("validate", inline.toString());
        assertEquals(0, good.code(), good.err());
    }
}
