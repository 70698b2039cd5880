package io.tributary.core.protocol;

import io.tributary.core.api.NewRecord;
import io.tributary.core.api.RecordHeader;
import io.tributary.core.api.StoredRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.utils.Utils;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the broker API's records into stored v2 batches and back, with kafka-clients' MemoryRecords, so what
 * the gateways write is exactly what a Kafka producer would have sent and any Kafka consumer reads it.
 */
public final class ApiRecordCodec {

    private static final int BATCH_OVERHEAD = 61;
    private static final int RECORD_OVERHEAD = 24;

    private ApiRecordCodec() {
    }

    /** One uncompressed batch holding {@code records}; {@link NewRecord#NOW} timestamps become {@code nowMs}. */
    public static ByteBuffer encode(List<NewRecord> records, long nowMs) {
        int estimate = BATCH_OVERHEAD;
        for (NewRecord r : records) {
            estimate += RECORD_OVERHEAD + length(r.key()) + length(r.value());
            for (RecordHeader h : r.headers()) {
                estimate += 10 + h.key().length() * 3 + length(h.value());
            }
        }
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(estimate), Compression.NONE,
                TimestampType.CREATE_TIME, 0L);
        for (NewRecord r : records) {
            long timestamp = r.timestamp() == NewRecord.NOW ? nowMs : r.timestamp();
            builder.append(timestamp, r.key(), r.value(), headers(r.headers()));
        }
        return builder.build().buffer();
    }

    /**
     * The data records of {@code batches} at or after {@code fromOffset}, plus the offset after the last batch
     * looked at, so control batches and records before {@code fromOffset} are never read twice.
     */
    public static Decoded decode(String topic, int partition, ByteBuffer batches, long fromOffset) {
        List<StoredRecord> records = new ArrayList<>();
        long next = fromOffset;
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(batches.duplicate()).batches()) {
            next = Math.max(next, batch.lastOffset() + 1);
            if (batch.isControlBatch()) {
                continue;
            }
            for (Record record : batch) {
                if (record.offset() < fromOffset) {
                    continue;
                }
                records.add(new StoredRecord(topic, partition, record.offset(), record.timestamp(),
                        bytes(record.hasKey() ? record.key() : null), bytes(record.hasValue() ? record.value() : null),
                        headers(record.headers())));
            }
        }
        return new Decoded(records, next);
    }

    /** The partition Kafka's default partitioner picks for a keyed record, so both agree on where a key lives. */
    public static int partitionForKey(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    public record Decoded(List<StoredRecord> records, long nextOffset) {
    }

    private static Header[] headers(List<RecordHeader> headers) {
        Header[] out = new Header[headers.size()];
        for (int i = 0; i < out.length; i++) {
            RecordHeader h = headers.get(i);
            out[i] = new org.apache.kafka.common.header.internals.RecordHeader(h.key(), h.value());
        }
        return out;
    }

    private static List<RecordHeader> headers(Header[] headers) {
        if (headers.length == 0) {
            return List.of();
        }
        List<RecordHeader> out = new ArrayList<>(headers.length);
        for (Header h : headers) {
            out.add(new RecordHeader(h.key(), h.value()));
        }
        return out;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        return buffer == null ? null : Utils.toArray(buffer);
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
