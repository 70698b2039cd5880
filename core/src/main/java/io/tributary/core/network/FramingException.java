package io.tributary.core.network;

/** The peer broke the framing or sent a header that cannot be answered: the connection is closed. */
public final class FramingException extends RuntimeException {

    public FramingException(String message) {
        super(message, null, false, false);
    }
}
