package io.tributary.core.protocol.handlers;

import io.tributary.core.partition.Partition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * One partition of a fetch: what was asked, and the local partition that serves it (null when the
 * topic or partition is unknown, with {@code missingError} saying which).
 */
record FetchTarget(String topic, Uuid topicId, FetchPartition request, Partition partition, Errors missingError) {
}
