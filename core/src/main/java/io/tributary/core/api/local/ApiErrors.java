package io.tributary.core.api.local;

import io.tributary.core.api.ApiException;
import io.tributary.core.api.ApiException.Reason;
import io.tributary.core.metadata.TopicException;
import io.tributary.core.partition.PartitionClosedException;
import io.tributary.storage.LogException;

import java.io.IOException;

/** Translates the broker's internal failures into the {@link ApiException} reasons API callers act on. */
final class ApiErrors {

    private ApiErrors() {
    }

    static ApiException of(Throwable failure) {
        if (failure instanceof ApiException api) {
            return api;
        }
        if (failure instanceof LogException le) {
            Reason reason = switch (le.error()) {
                case MESSAGE_TOO_LARGE -> Reason.RECORD_TOO_LARGE;
                case OFFSET_OUT_OF_RANGE -> Reason.OFFSET_OUT_OF_RANGE;
                case STORAGE_ERROR -> Reason.STORAGE_ERROR;
                default -> Reason.INVALID_REQUEST;
            };
            return new ApiException(reason, le.getMessage(), le);
        }
        if (failure instanceof TopicException te) {
            Reason reason = switch (te.reason()) {
                case UNKNOWN_TOPIC -> Reason.UNKNOWN_TOPIC;
                case INVALID_NAME -> Reason.INVALID_TOPIC;
                case ALREADY_EXISTS -> Reason.TOPIC_EXISTS;
                case BEING_DELETED -> Reason.UNAVAILABLE;
                case STORAGE_ERROR -> Reason.STORAGE_ERROR;
                default -> Reason.INVALID_REQUEST;
            };
            return new ApiException(reason, te.getMessage(), te);
        }
        if (failure instanceof PartitionClosedException) {
            return new ApiException(Reason.UNAVAILABLE, failure.getMessage(), failure);
        }
        if (failure instanceof IOException) {
            return new ApiException(Reason.STORAGE_ERROR, failure.getMessage(), failure);
        }
        return new ApiException(Reason.UNAVAILABLE, String.valueOf(failure.getMessage()), failure);
    }

    static ApiException unknownPartition(String topic, int partition) {
        return new ApiException(Reason.UNKNOWN_PARTITION, "Topic " + topic + " has no partition " + partition);
    }
}
