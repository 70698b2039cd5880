package io.tributary.core.protocol.handlers;

import io.tributary.core.partition.Partition;
import io.tributary.storage.AbortedTxn;
import org.apache.kafka.common.protocol.Errors;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * What one partition read returned: whole batches or an error, with the offsets a response carries.
 * {@code abortedTransactions} is null for read_uncommitted fetches.
 */
record PartitionRead(Errors error, long highWatermark, long lastStableOffset, long logStartOffset, ByteBuffer records,
                     List<AbortedTxn> abortedTransactions) {

    static PartitionRead error(Errors error) {
        return new PartitionRead(error, -1L, -1L, -1L, null, null);
    }

    /** An error that still reports the partition's offsets (so a consumer can reset its position). */
    static PartitionRead error(Errors error, Partition partition) {
        return new PartitionRead(error, partition.highWatermark(), partition.lastStableOffset(),
                partition.logStartOffset(), null, null);
    }

    int size() {
        return records == null ? 0 : records.remaining();
    }
}
