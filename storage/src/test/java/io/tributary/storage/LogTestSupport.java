package io.tributary.storage;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/** Builds real Kafka batches with the client's own builder, plus a clock tests can move. */
final class LogTestSupport {
    static final long T0 = 1_700_000_000_000L;

    private LogTestSupport() {
    }

    /** A clock that stands still until told to move. */
    static final class MutableClock extends Clock {
        private long millis;

        MutableClock(long millis) {
            this.millis = millis;
        }

        void advance(long ms) {
            millis += ms;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Small segments and an index entry after every append, so few bytes exercise many code paths. */
    static LogConfig smallConfig() {
        return LogConfig.DEFAULT.withSegmentBytes(4096).withIndexIntervalBytes(0);
    }

    static ByteBuffer batch(long timestamp, int records) {
        return build(Compression.NONE, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE, false, timestamp, records, 10);
    }

    static ByteBuffer batch(long timestamp, int records, int valueBytes) {
        return build(Compression.NONE, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE, false, timestamp, records, valueBytes);
    }

    static ByteBuffer idempotent(long producerId, int epoch, int baseSequence, int records) {
        return build(Compression.NONE, producerId, (short) epoch, baseSequence, false, T0, records, 10);
    }

    static ByteBuffer transactional(long producerId, int epoch, int baseSequence, int records) {
        return build(Compression.NONE, producerId, (short) epoch, baseSequence, true, T0, records, 10);
    }

    static ByteBuffer build(Compression compression, long producerId, short epoch, int baseSequence,
                            boolean transactional, long timestamp, int records, int valueBytes) {
        ByteBuffer buf = ByteBuffer.allocate(256 + records * (valueBytes + 32));
        MemoryRecordsBuilder builder = MemoryRecords.builder(buf, RecordBatch.MAGIC_VALUE_V2, compression,
                TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, producerId, epoch, baseSequence,
                transactional, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (int i = 0; i < records; i++) {
            byte[] value = new byte[valueBytes];
            java.util.Arrays.fill(value, (byte) ('a' + i % 26));
            builder.append(timestamp, ("k" + i).getBytes(StandardCharsets.UTF_8), value);
        }
        return builder.build().buffer();
    }

    static ByteBuffer commitMarker(long producerId, int epoch) {
        return MemoryRecords.withEndTransactionMarker(producerId, (short) epoch,
                new EndTransactionMarker(ControlRecordType.COMMIT, 0)).buffer();
    }

    static ByteBuffer concat(ByteBuffer... parts) {
        int size = 0;
        for (ByteBuffer p : parts) size += p.remaining();
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer p : parts) all.put(p.duplicate());
        return all.flip();
    }

    /** Rewrites the CRC after a test edited a CRC-covered field. */
    static void fixCrc(ByteBuffer batch) {
        CRC32C crc = new CRC32C();
        int size = batch.getInt(8) + 12;
        crc.update(batch.duplicate().position(21).limit(size));
        batch.putInt(17, (int) crc.getValue());
    }

    /** The Kafka client's view of stored bytes. */
    static List<MutableRecordBatch> kafkaBatches(ByteBuffer records) {
        List<MutableRecordBatch> out = new ArrayList<>();
        MemoryRecords.readableRecords(records.duplicate()).batches().forEach(out::add);
        return out;
    }

    static List<RecordBatchView> allBatches(PartitionLog log) {
        List<RecordBatchView> out = new ArrayList<>();
        log.batchesFrom(log.logStartOffset()).forEach(out::add);
        return out;
    }

    /** Appends {@code count} single-record batches and returns the log end offset. */
    static long appendBatches(PartitionLog log, int count, long timestamp) throws LogException {
        for (int i = 0; i < count; i++) log.append(batch(timestamp, 1), 0);
        return log.logEndOffset();
    }

    static PartitionLog reopen(Path dir, LogConfig config, Clock clock) throws IOException {
        return PartitionLog.open(dir, config, clock);
    }
}
