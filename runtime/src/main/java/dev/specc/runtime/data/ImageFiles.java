package dev.specc.runtime.data;

import dev.specc.config.ColorMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Image files listed with their labels, decoded and resized to {@code shape} each time one is read:
 * nothing of their pixels is kept. {@code files} passed {@link ImageCheck} when they were listed.
 * JPEGs are decoded by TensorFlow ({@link TensorFlowJpeg}, with {@code threads} as the run's
 * sessions), PNGs by javax.imageio ({@link ImageDecoder}).
 */
public record ImageFiles(ImageShape shape, List<Path> files, int[] labels, List<String> classNames, int threads)
        implements Examples {
    public ImageFiles {
        files = List.copyOf(files);
        classNames = List.copyOf(classNames);
        if (files.size() != labels.length) {
            throw new IllegalArgumentException(files.size() + " files but " + labels.length + " labels");
        }
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public void read(int index, byte[] out, int offset) throws IOException {
        Path file = files.get(index);
        byte[] bytes = Files.readAllBytes(file);
        if (isJpeg(bytes)) {
            TensorFlowJpeg.forShape(shape, threads).decode(bytes, out, offset);
            return;
        }
        byte[] pixels = new ImageDecoder(shape.height(), shape.width(), ColorMode.ofChannels(shape.channels())).decode(file);
        System.arraycopy(pixels, 0, out, offset, pixels.length);
    }

    private static boolean isJpeg(byte[] bytes) {
        return bytes.length > 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xD8;
    }

    @Override
    public String describe(int index) {
        return files.get(index).toString();
    }

    /**
     * What the decoded pixels depend on besides the shape: every file's path, size and modification
     * time, as a SHA-256 in hex. A disk cache written under another fingerprint is stale.
     */
    @Override
    public String fingerprint() throws IOException {
        MessageDigest sha = sha256();
        for (Path file : files) {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            sha.update((file.toAbsolutePath() + "\0" + attributes.size() + "\0"
                    + attributes.lastModifiedTime().toMillis() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
