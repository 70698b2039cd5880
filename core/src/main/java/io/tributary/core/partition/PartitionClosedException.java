package io.tributary.core.partition;

/** The partition stopped being served here (its topic was deleted or the broker is stopping). */
public final class PartitionClosedException extends RuntimeException {

    public PartitionClosedException(String message) {
        super(message, null, false, false);
    }
}
