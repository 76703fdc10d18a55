package dev.specc.runtime.data;

/** Examples that cannot be read: a missing, truncated or malformed file, named in the message. */
public final class DataException extends Exception {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
