package dev.specc.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.specc.config.AugmentConfig;
import dev.specc.config.ColorMode;
import dev.specc.config.DataConfig;
import dev.specc.config.FillMode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingMatchesInMemoryTest {
    @TempDir
    Path dir;

    /** 19 PNGs of several sizes in three classes (colour and grey), a garbage .jpg and a text file. */
    static Path folder(Path root) throws IOException {
        Path pics = root.resolve("pics");
        String[] classes = {"cat", "dog", "eel"};
        for (int i = 0; i < 19; i++) {
            int w = 9 + i % 5;
            int h = 7 + i % 3;
            boolean grey = i % 4 == 3;
            BufferedImage image = new BufferedImage(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = (i * 37 + x * 11 + y * 23) & 0xFF;
                    if (grey) image.getRaster().setSample(x, y, 0, v);
                    else image.setRGB(x, y, (v << 16) | (((v * 3) & 0xFF) << 8) | ((v * 7 + i) & 0xFF));
                }
            }
            Path file = pics.resolve(classes[i % 3]).resolve("img" + i + ".png");
            Files.createDirectories(file.getParent());
            ImageIO.write(image, "png", file.toFile());
        }
        Files.writeString(pics.resolve("dog/garbage.jpg"), "not a JPEG");
        Files.writeString(pics.resolve("eel/notes.txt"), "not an image name");
        return pics;
    }

    static DataConfig config() {
        AugmentConfig augment = new AugmentConfig(true, true, 20, 0.1, 0.1, 0.1, 5, 2, FillMode.REFLECT);
        return new DataConfig(DataConfig.Source.FOLDER, "pics", new DataConfig.ImageSize(10, 12), ColorMode.RGB, 0.25, 5,
                1.0 / 255, null, augment, 3, 2, null);
    }

    static final ImageShape INPUT = new ImageShape(8, 8, 3);

    /** SHA-256 (first 16 hex digits) of every float's bits and label of the batches, in order. */
    static String digest(List<Batch> batches) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Batch b : batches) {
            ByteBuffer bytes = ByteBuffer.allocate(b.images().length * 4 + b.size() * 4);
            for (float f : b.images()) bytes.putInt(Float.floatToIntBits(f));
            for (int k = 0; k < b.size(); k++) bytes.putInt(b.labels()[k]);
            sha.update(bytes.array());
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    static List<Batch> all(BatchStream stream) {
        List<Batch> batches = new ArrayList<>();
        try (stream) {
            while (stream.hasNext()) batches.add(stream.next());
        }
        return batches;
    }

    @Test
    void record() throws Exception {
        folder(dir);
        List<String> warnings = new ArrayList<>();
        Splits splits = DataSources.load(config(), dir.resolve("s.yaml"), warnings);
        System.out.println("RECORD warnings " + warnings + " skipped " + splits.skipped());
        System.out.println("RECORD sizes " + splits.train().size() + " " + splits.validation().size());
        for (int epoch = 0; epoch < 2; epoch++) {
            System.out.println("RECORD train" + epoch + " " + digest(all(BatchStream.training(splits.train(), INPUT, 4, config(), epoch, 0))));
        }
        System.out.println("RECORD train1from2 " + digest(all(BatchStream.training(splits.train(), INPUT, 4, config(), 1, 2))));
        System.out.println("RECORD validation " + digest(all(BatchStream.evaluation(splits.validation(), INPUT, 4, config()))));
        System.out.println("RECORD test " + digest(all(BatchStream.evaluation(splits.test(), INPUT, 4, config()))));
    }
}
