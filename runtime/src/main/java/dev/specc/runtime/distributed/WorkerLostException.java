package dev.specc.runtime.distributed;

/** A worker of the cluster died, hung or could not be reached: the whole run stops. */
public final class WorkerLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WorkerLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
