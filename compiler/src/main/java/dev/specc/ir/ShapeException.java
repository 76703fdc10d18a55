package dev.specc.ir;

/** A layer cannot take the shapes it is given; the message is for the user. */
public final class ShapeException extends RuntimeException {
    public ShapeException(String message) {
        super(message);
    }
}
