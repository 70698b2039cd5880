package io.tributary.core.protocol;

import io.tributary.core.metadata.TopicException;
import io.tributary.core.metadata.TopicNames;
import org.apache.kafka.common.protocol.Errors;

/** Maps topic-level failures to Kafka error codes. */
public final class TopicErrors {

    /** Bits of every topic operation (READ..ALTER_CONFIGS) for include_topic_authorized_operations. */
    public static final int ALL_TOPIC_OPERATIONS = (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8)
            | (1 << 10) | (1 << 11);

    private TopicErrors() {
    }

    /** The error for a topic that does not exist: invalid names are reported as such. */
    public static Errors forMissingTopic(String name) {
        try {
            TopicNames.validate(name);
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        } catch (TopicException e) {
            return Errors.INVALID_TOPIC_EXCEPTION;
        }
    }

    public static Errors of(Throwable failure) {
        if (failure instanceof TopicException te) {
            return switch (te.reason()) {
                case ALREADY_EXISTS -> Errors.TOPIC_ALREADY_EXISTS;
                case UNKNOWN_TOPIC -> Errors.UNKNOWN_TOPIC_OR_PARTITION;
                case INVALID_NAME -> Errors.INVALID_TOPIC_EXCEPTION;
                case INVALID_PARTITIONS -> Errors.INVALID_PARTITIONS;
                case INVALID_REPLICATION_FACTOR -> Errors.INVALID_REPLICATION_FACTOR;
                case INVALID_CONFIG -> Errors.INVALID_CONFIG;
                case BEING_DELETED -> Errors.TOPIC_DELETION_DISABLED;
                case STORAGE_ERROR -> Errors.KAFKA_STORAGE_ERROR;
            };
        }
        return Errors.forException(failure);
    }
}
