package dev.specc.runtime.io;

import dev.specc.diag.FileFormatException;
import java.nio.file.Path;

/** A file that is not a valid safetensors file; the message names the file and the problem. */
public final class SafetensorsFormatException extends FileFormatException {
    private static final long serialVersionUID = 1L;

    SafetensorsFormatException(Path file, String problem) {
        super(file, file + ": not a valid safetensors file: " + problem);
    }
}
