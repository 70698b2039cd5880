package io.tributary.storage;

/** Why the log refused an operation. The names match the Kafka error codes the broker will answer with. */
public enum LogError {
    CORRUPT_MESSAGE,
    INVALID_RECORD,
    UNSUPPORTED_MAGIC,
    MESSAGE_TOO_LARGE,
    OUT_OF_ORDER_SEQUENCE_NUMBER,
    INVALID_PRODUCER_EPOCH,
    DUPLICATE_SEQUENCE_NUMBER,
    OFFSET_OUT_OF_RANGE,
    STORAGE_ERROR
}
