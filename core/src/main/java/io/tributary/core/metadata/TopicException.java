package io.tributary.core.metadata;

/** A topic operation that cannot be done, with the reason a protocol layer maps to its error code. */
public final class TopicException extends RuntimeException {

    public enum Reason {
        ALREADY_EXISTS, UNKNOWN_TOPIC, INVALID_NAME, INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR, INVALID_CONFIG,
        BEING_DELETED, STORAGE_ERROR
    }

    private final Reason reason;

    public TopicException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public TopicException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
