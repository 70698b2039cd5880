package io.tributary.core.protocol;

import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;
import java.util.List;

/** Reads the partitions of a classic consumer's assignment with the client library's own codec. */
public final class ConsumerAssignments {

    private ConsumerAssignments() {
    }

    /** The assigned partitions; empty when there is no assignment or it is not a consumer's. */
    public static List<TopicPartition> partitions(byte[] assignment) {
        if (assignment == null || assignment.length == 0) {
            return List.of();
        }
        try {
            return List.copyOf(ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(assignment)).partitions());
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
