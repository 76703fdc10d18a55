package dev.specc.runtime.data;

/** A {@link DataException} thrown where an iterator cannot throw a checked one; callers unwrap it. */
public final class UncheckedDataException extends RuntimeException {
    public UncheckedDataException(DataException cause) {
        super(cause.getMessage(), cause);
    }

    @Override
    public synchronized DataException getCause() {
        return (DataException) super.getCause();
    }
}
