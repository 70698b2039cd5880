package io.tributary.storage;

/** A refused log operation: {@link #error()} says which Kafka error applies, the message says what was wrong. */
public final class LogException extends Exception {
    private final LogError error;

    public LogException(LogError error, String message) {
        super(message);
        this.error = error;
    }

    public LogException(LogError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public LogError error() {
        return error;
    }

    @Override
    public String toString() {
        return error + ": " + getMessage();
    }
}
