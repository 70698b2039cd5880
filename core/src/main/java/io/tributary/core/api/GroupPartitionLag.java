package io.tributary.core.api;

import org.apache.kafka.common.TopicPartition;

/**
 * A group's position in one partition.
 *
 * @param committed the committed offset
 * @param logEnd    the partition's high watermark, or -1 when the partition is not on this broker
 * @param lag       {@code logEnd - committed} (never negative), or -1 when logEnd is unknown
 */
public record GroupPartitionLag(TopicPartition partition, long committed, long logEnd, long lag) {
}
