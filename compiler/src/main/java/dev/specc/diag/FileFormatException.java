package dev.specc.diag;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file given to specc (on the command line or in a spec) that is not in the format it should be:
 * the user's mistake, exit code 2, unlike an I/O failure reading it. The message names the file.
 */
public class FileFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public FileFormatException(Path file, String message) {
        super(message);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
