package dev.specc.weights;

import dev.specc.diag.FileFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The kinds of weight file {@code --init-from} and {@code train.init_from} read, told apart by
 * their first bytes (never by the file's extension).
 */
public enum WeightFormat {
    /** An 8-byte little-endian header length, then the JSON header, which starts with '{'. */
    SAFETENSORS("safetensors"),
    /** A zip archive: what torch.save writes since PyTorch 1.6. */
    PYTORCH("PyTorch checkpoint (torch.save)"),
    /** The HDF5 signature: Keras .h5 weight and model files. */
    HDF5("HDF5 (Keras .h5)");

    private static final byte[] ZIP = {'P', 'K', 3, 4};
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private final String description;

    WeightFormat(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** What the formats are, for messages about a file that is none of them. */
    public static String known() {
        return "safetensors, a PyTorch checkpoint (torch.save zip) or Keras HDF5 (.h5)";
    }

    /**
     * The format of the file.
     *
     * @throws UnknownFormatException when its first bytes are no format specc reads; the message says
     *     what the file seems to be where that is known (an old PyTorch pickle, text)
     */
    public static WeightFormat of(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(16);
        }
        if (startsWith(head, ZIP)) return PYTORCH;
        if (startsWith(head, HDF5_SIGNATURE)) return HDF5;
        if (head.length >= 9 && head[8] == '{' && headerLength(head) > 1) return SAFETENSORS;
        throw new UnknownFormatException(file, guess(head));
    }

    private static long headerLength(byte[] head) {
        long n = 0;
        for (int i = 7; i >= 0; i--) n = (n << 8) | (head[i] & 0xff);
        return n;
    }

    private static String guess(byte[] head) {
        if (head.length == 0) return "the file is empty";
        if (head.length >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5) {
            return "it looks like a PyTorch file in the format before 1.6 (a bare pickle); load it in PyTorch and save "
                    + "it again with torch.save(state_dict, path), which writes the zip format";
        }
        return "its first bytes are " + Arrays.toString(Arrays.copyOf(head, Math.min(head.length, 8)));
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(Arrays.copyOf(bytes, prefix.length), prefix);
    }

    /** A file that is none of the weight formats. */
    public static final class UnknownFormatException extends FileFormatException {
        private static final long serialVersionUID = 1L;

        UnknownFormatException(Path file, String why) {
            super(file, file + ": not a weight file specc reads (" + known() + "): " + why);
        }
    }
}
