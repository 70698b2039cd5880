package io.tributary.core.protocol;

import io.tributary.core.partition.PartitionClosedException;
import io.tributary.storage.LogError;
import io.tributary.storage.LogException;
import org.apache.kafka.common.protocol.Errors;

/** Maps storage and partition failures to the Kafka error codes clients act on. */
public final class LogErrors {

    private LogErrors() {
    }

    public static Errors of(Throwable failure) {
        if (failure instanceof LogException le) {
            return of(le.error());
        }
        if (failure instanceof PartitionClosedException) {
            // Tells the client to refresh its metadata, which then shows the topic gone or moved.
            return Errors.NOT_LEADER_OR_FOLLOWER;
        }
        if (failure instanceof java.io.IOException) {
            return Errors.KAFKA_STORAGE_ERROR;
        }
        return Errors.forException(failure);
    }

    public static Errors of(LogError error) {
        return switch (error) {
            case CORRUPT_MESSAGE -> Errors.CORRUPT_MESSAGE;
            // Produce v3+ may only carry magic v2 batches; Kafka answers older formats with INVALID_RECORD.
            case INVALID_RECORD, UNSUPPORTED_MAGIC -> Errors.INVALID_RECORD;
            case MESSAGE_TOO_LARGE -> Errors.MESSAGE_TOO_LARGE;
            case OUT_OF_ORDER_SEQUENCE_NUMBER -> Errors.OUT_OF_ORDER_SEQUENCE_NUMBER;
            case INVALID_PRODUCER_EPOCH -> Errors.INVALID_PRODUCER_EPOCH;
            case DUPLICATE_SEQUENCE_NUMBER -> Errors.DUPLICATE_SEQUENCE_NUMBER;
            case OFFSET_OUT_OF_RANGE -> Errors.OFFSET_OUT_OF_RANGE;
            case STORAGE_ERROR -> Errors.KAFKA_STORAGE_ERROR;
        };
    }
}
