package io.tributary.core.protocol.handlers;

import io.tributary.core.partition.Partition;
import org.apache.kafka.common.protocol.Errors;

import java.nio.ByteBuffer;

/** What one partition read returned: whole batches or an error, with the offsets a response carries. */
record PartitionRead(Errors error, long highWatermark, long logStartOffset, ByteBuffer records) {

    static PartitionRead error(Errors error) {
        return new PartitionRead(error, -1L, -1L, null);
    }

    /** An error that still reports the partition's offsets (so a consumer can reset its position). */
    static PartitionRead error(Errors error, Partition partition) {
        return new PartitionRead(error, partition.highWatermark(), partition.logStartOffset(), null);
    }

    int size() {
        return records == null ? 0 : records.remaining();
    }
}
