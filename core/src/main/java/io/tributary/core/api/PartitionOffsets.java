package io.tributary.core.api;

/** The readable range of one partition: [logStartOffset, highWatermark). */
public record PartitionOffsets(String topic, int partition, long logStartOffset, long highWatermark) {
}
