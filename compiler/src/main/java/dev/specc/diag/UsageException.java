package dev.specc.diag;

/**
 * A mistake of the user that is not in a spec's text: an argument, an option, a file named on the
 * command line, or a spec that cannot be used for what was asked. Its message says what was given
 * and what was expected; the command line exits with code 2 and prints no stack trace.
 */
public class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
