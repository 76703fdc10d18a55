package dev.specc.runtime.data;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Writes IDX image and label files, gzipped when the name ends in .gz (for tests and the subset). */
final class IdxWriter {
    private IdxWriter() {
    }

    static void writeImages(Path file, int rows, int cols, byte[] pixels) throws IOException {
        try (DataOutputStream out = new DataOutputStream(open(file))) {
            out.writeInt(IdxFiles.IMAGES_MAGIC);
            out.writeInt(pixels.length / (rows * cols));
            out.writeInt(rows);
            out.writeInt(cols);
            out.write(pixels);
        }
    }

    static void writeLabels(Path file, int[] labels) throws IOException {
        try (DataOutputStream out = new DataOutputStream(open(file))) {
            out.writeInt(IdxFiles.LABELS_MAGIC);
            out.writeInt(labels.length);
            for (int label : labels) out.writeByte(label);
        }
    }

    private static OutputStream open(Path file) throws IOException {
        OutputStream raw = Files.newOutputStream(file);
        if (!file.getFileName().toString().endsWith(".gz")) return raw;
        return new GZIPOutputStream(raw, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        };
    }
}
