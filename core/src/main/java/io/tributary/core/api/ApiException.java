package io.tributary.core.api;

/**
 * Why a call through the broker API failed. The reason is what callers map to their own protocol's
 * answer (an MQTT reason code, an HTTP status); the message is for people.
 */
public final class ApiException extends RuntimeException {

    public enum Reason {
        /** The topic does not exist and was not created (auto-creation is off, or the name is invalid). */
        UNKNOWN_TOPIC,
        /** The partition number is outside the topic. */
        UNKNOWN_PARTITION,
        /** The topic name is not a legal Kafka topic name. */
        INVALID_TOPIC,
        /** The topic already exists (explicit creation only). */
        TOPIC_EXISTS,
        /** A record or config the topic refuses (a keyless record on a compacted topic, a bad config value). */
        INVALID_REQUEST,
        /** The batch is larger than the topic's max.message.bytes. */
        RECORD_TOO_LARGE,
        /** The offset is outside [logStartOffset, highWatermark]. */
        OFFSET_OUT_OF_RANGE,
        /** The group coordinator refused the operation (unknown member, rebalance, stale epoch). */
        GROUP_ERROR,
        /** The broker cannot serve the request right now (shutting down, partition moving); retry later. */
        UNAVAILABLE,
        /** The disk failed underneath; nothing was acknowledged. */
        STORAGE_ERROR
    }

    private final Reason reason;

    public ApiException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ApiException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** True when the same call may succeed later without any change by the caller. */
    public boolean retriable() {
        return reason == Reason.UNAVAILABLE;
    }
}
