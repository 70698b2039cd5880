package io.tributary.core.protocol.handlers;

import io.tributary.core.partition.Partition;
import io.tributary.storage.AbortedTxn;
import io.tributary.storage.EpochEndOffset;
import io.tributary.storage.ReadResult;
import org.apache.kafka.common.protocol.Errors;

import java.util.List;

/**
 * What one partition read returned: whole batches (copied, or a slice of a segment file) or an error, with the offsets a response carries.
 * {@code abortedTransactions} is null for read_uncommitted fetches. {@code visibleEnd} is where a parked fetch waits
 * for more: the high watermark for consumers, the log end for followers. {@code diverging} tells a follower whose
 * last fetched epoch does not match the leader's log where to truncate (null otherwise).
 */
record PartitionRead(Errors error, long highWatermark, long lastStableOffset, long logStartOffset, ReadResult records,
                     List<AbortedTxn> abortedTransactions, long visibleEnd, EpochEndOffset diverging) {

    PartitionRead(Errors error, long highWatermark, long lastStableOffset, long logStartOffset, ReadResult records,
                  List<AbortedTxn> abortedTransactions) {
        this(error, highWatermark, lastStableOffset, logStartOffset, records, abortedTransactions, highWatermark, null);
    }

    static PartitionRead error(Errors error) {
        return new PartitionRead(error, -1L, -1L, -1L, null, null);
    }

    /** An error that still reports the partition's offsets (so a consumer can reset its position). */
    static PartitionRead error(Errors error, Partition partition) {
        return new PartitionRead(error, partition.highWatermark(), partition.lastStableOffset(),
                partition.logStartOffset(), null, null);
    }

    /** A follower's fetch that must truncate first: no records, the leader's end of the epoch they share. */
    static PartitionRead diverging(Partition partition, EpochEndOffset divergence) {
        return new PartitionRead(Errors.NONE, partition.highWatermark(), partition.lastStableOffset(),
                partition.logStartOffset(), null, null, partition.logEndOffset(), divergence);
    }

    int size() {
        return records == null ? 0 : records.sizeInBytes();
    }
}
