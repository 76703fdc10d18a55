package dev.specc.runtime.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The quick look at an image file that listing a folder takes, instead of decoding it: a JPEG or
 * PNG signature, a header ImageIO reads dimensions from, and the format's end marker (JPEG's EOI,
 * PNG's IEND), so empty, foreign and truncated files are found before the split. A file damaged
 * inside its compressed data passes and fails when decoded ({@link BatchStream} drops it then).
 */
final class ImageCheck {
    private static final int JPEG_TAIL = 1024;
    private static final byte[] PNG_END = {'I', 'E', 'N', 'D'};

    private ImageCheck() {
    }

    /** Why {@code file} cannot be an image, or null when it looks whole. */
    static String problem(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) return "empty file";
            ByteBuffer head = read(channel, 0, (int) Math.min(8, size));
            boolean jpeg = head.limit() >= 3 && (head.get(0) & 0xFF) == 0xFF && (head.get(1) & 0xFF) == 0xD8
                    && (head.get(2) & 0xFF) == 0xFF;
            boolean png = head.limit() == 8 && head.getLong(0) == 0x89504E470D0A1A0AL;
            if (!jpeg && !png) return "not a JPEG or PNG image";
            if (jpeg && !hasJpegEnd(read(channel, Math.max(0, size - JPEG_TAIL), (int) Math.min(JPEG_TAIL, size)))) {
                return "damaged image: no JPEG end marker (truncated?)";
            }
            if (png && (size < 20 || !read(channel, size - 8, 4).equals(ByteBuffer.wrap(PNG_END)))) {
                return "damaged image: no PNG end chunk (truncated?)";
            }
        } catch (IOException e) {
            return "cannot read: " + e.getMessage();
        }
        return headerProblem(file);
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) break;
        }
        return buffer.flip();
    }

    /** EOI (FF D9) near the end: inside entropy-coded data an FF byte is always followed by 00. */
    private static boolean hasJpegEnd(ByteBuffer tail) {
        for (int i = tail.limit() - 2; i >= 0; i--) {
            if ((tail.get(i) & 0xFF) == 0xFF && (tail.get(i + 1) & 0xFF) == 0xD9) return true;
        }
        return false;
    }

    private static String headerProblem(Path file) {
        try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = input == null ? null : ImageIO.getImageReaders(input);
            if (readers == null || !readers.hasNext()) return "not a JPEG or PNG image";
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                if (reader.getWidth(0) < 1 || reader.getHeight(0) < 1) return "damaged image: no pixels";
            } finally {
                reader.dispose();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "damaged image: " + (e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
