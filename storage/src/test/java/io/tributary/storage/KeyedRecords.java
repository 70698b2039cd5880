package io.tributary.storage;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.CloseableIterator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Keyed batches for compaction tests, and the records of a log as the Kafka client would read them. */
final class KeyedRecords {
    private KeyedRecords() {
    }

    /** One record as read back: value null for a tombstone, key null for none. */
    record Rec(long offset, String key, String value) {
    }

    /** A batch of {@code keys[i]} -> {@code values[i]} (a null value is a tombstone, a null key none). */
    static ByteBuffer batch(Compression compression, long timestamp, String[] keys, String[] values) {
        return idempotentBatch(compression, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE, timestamp, keys, values);
    }

    static ByteBuffer batch(long timestamp, String key, String value) {
        return batch(Compression.NONE, timestamp, new String[]{key}, new String[]{value});
    }

    static ByteBuffer idempotentBatch(Compression compression, long producerId, short epoch, int baseSequence,
                                      long timestamp, String[] keys, String[] values) {
        ByteBuffer buf = ByteBuffer.allocate(1024 + keys.length * 128);
        MemoryRecordsBuilder builder = MemoryRecords.builder(buf, RecordBatch.MAGIC_VALUE_V2, compression,
                TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, producerId, epoch, baseSequence, false,
                RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (int i = 0; i < keys.length; i++) {
            builder.append(timestamp, keys[i] == null ? null : keys[i].getBytes(StandardCharsets.UTF_8),
                    values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8));
        }
        return builder.build().buffer();
    }

    /** Every record from the log start to the log end. */
    static List<Rec> records(PartitionLog log) {
        List<Rec> out = new ArrayList<>();
        for (RecordBatchView view : log.batchesFrom(log.logStartOffset())) {
            for (MutableRecordBatch b : MemoryRecords.readableRecords(view.buffer()).batches()) {
                try (CloseableIterator<Record> it = b.streamingIterator(BufferSupplier.NO_CACHING)) {
                    while (it.hasNext()) {
                        Record r = it.next();
                        out.add(new Rec(r.offset(), r.hasKey() ? str(r.key()) : null, r.hasValue() ? str(r.value()) : null));
                    }
                }
            }
        }
        return out;
    }

    private static String str(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
