package io.tributary.core.api.local;

import io.tributary.core.api.PartitionOffsets;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;

/**
 * The operations {@link LocalRecords} needs on one partition, wherever it is led: encoded batches in, raw stored
 * batches out, so that nothing but bytes and offsets crosses between brokers.
 */
interface PartitionAccess {

    /** Appends an encoded batch at the partition's leader. */
    Future<Appended> append(TopicPartition tp, ByteBuffer encoded);

    /** Reads stored batches below the high watermark from {@code offset}, waiting up to {@code maxWaitMs} for data. */
    Future<RawRead> read(TopicPartition tp, long offset, int maxBytes, long maxWaitMs);

    Future<Long> offsetFor(TopicPartition tp, long timestamp);

    Future<PartitionOffsets> offsets(TopicPartition tp);

    /** Where an append went: its first offset and the broker time for LogAppendTime topics (-1 otherwise). */
    record Appended(long baseOffset, long logAppendTime) {
    }

    /**
     * What a read found: whole batches (null when nothing is readable at {@code offset}) and the partition's offsets.
     */
    record RawRead(ByteBuffer records, long offset, long highWatermark, long logStartOffset) {
    }
}
