package io.tributary.core.protocol;

import io.tributary.core.group.BatchCodec;
import io.tributary.core.group.KeyValue;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;

/**
 * Builds and reads the record batches of __consumer_offsets with kafka-clients' MemoryRecords, so
 * the internal topic holds ordinary v2 batches any Kafka tool can read.
 */
public final class CoordinatorRecordBatches implements BatchCodec {

    @Override
    public ByteBuffer encode(List<KeyValue> records, long timestampMs) {
        int estimate = 128;
        for (KeyValue kv : records) {
            estimate += 32 + kv.key().remaining() + (kv.value() == null ? 0 : kv.value().remaining());
        }
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(estimate), Compression.NONE,
                TimestampType.CREATE_TIME, 0L);
        for (KeyValue kv : records) {
            builder.append(timestampMs, kv.key().duplicate(), kv.value() == null ? null : kv.value().duplicate());
        }
        return builder.build().buffer();
    }

    @Override
    public ByteBuffer encodeTransactional(List<KeyValue> records, long timestampMs, long producerId, short epoch) {
        int estimate = 128;
        for (KeyValue kv : records) {
            estimate += 32 + kv.key().remaining() + (kv.value() == null ? 0 : kv.value().remaining());
        }
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(estimate),
                RecordBatch.CURRENT_MAGIC_VALUE, Compression.NONE, TimestampType.CREATE_TIME, 0L, timestampMs, producerId, epoch, 0, true,
                RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (KeyValue kv : records) {
            builder.append(timestampMs, kv.key().duplicate(), kv.value() == null ? null : kv.value().duplicate());
        }
        return builder.build().buffer();
    }

    @Override
    public void decode(ByteBuffer batches, BatchVisitor visitor) {
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(batches.duplicate()).batches()) {
            if (batch.isControlBatch()) {
                if (batch.isTransactional()) {
                    Iterator<Record> it = batch.iterator();
                    if (it.hasNext()) {
                        ControlRecordType type = ControlRecordType.parse(it.next().key());
                        if (type == ControlRecordType.COMMIT || type == ControlRecordType.ABORT) {
                            visitor.marker(batch.producerId(), type == ControlRecordType.COMMIT);
                        }
                    }
                }
                continue;
            }
            long producerId = batch.isTransactional() ? batch.producerId() : -1L;
            for (Record record : batch) {
                if (record.hasKey()) {
                    visitor.record(record.key(), record.hasValue() ? record.value() : null, producerId);
                }
            }
        }
    }

    @Override
    public void decode(ByteBuffer batches, RecordVisitor visitor) {
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(batches.duplicate()).batches()) {
            if (batch.isControlBatch()) {
                continue;
            }
            for (Record record : batch) {
                if (record.hasKey()) {
                    visitor.accept(record.key(), record.hasValue() ? record.value() : null);
                }
            }
        }
    }
}
