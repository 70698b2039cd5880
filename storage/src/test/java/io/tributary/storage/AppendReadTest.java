package io.tributary.storage;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.tributary.storage.LogTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppendReadTest {
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(T0);
    PartitionLog log;

    @BeforeEach
    void open() throws Exception {
        log = PartitionLog.open(dir, LogConfig.DEFAULT.withIndexIntervalBytes(0), clock);
    }

    @AfterEach
    void close() throws Exception {
        log.close();
    }

    @Test
    void assignsOffsetsAndLeaderEpochInPlace() throws Exception {
        AppendResult first = log.append(batch(T0, 3), 7);
        AppendResult second = log.append(batch(T0, 2), 8);

        assertThat(first).isEqualTo(new AppendResult(0, 2, -1, 0, 3, false));
        assertThat(second).isEqualTo(new AppendResult(3, 4, -1, 0, 2, false));
        assertThat(log.logEndOffset()).isEqualTo(5);

        List<MutableRecordBatch> stored = kafkaBatches(log.read(0, 1 << 20, true).records());
        assertThat(stored).hasSize(2);
        assertThat(stored.get(0).baseOffset()).isZero();
        assertThat(stored.get(0).partitionLeaderEpoch()).isEqualTo(7);
        assertThat(stored.get(1).baseOffset()).isEqualTo(3);
        assertThat(stored.get(1).partitionLeaderEpoch()).isEqualTo(8);
        assertThat(stored).allMatch(RecordBatch::isValid);
        List<Long> offsets = new ArrayList<>();
        stored.forEach(b -> b.forEach(r -> offsets.add(r.offset())));
        assertThat(offsets).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void storesTheProducersBytesExactly() throws Exception {
        ByteBuffer sent = build(Compression.gzip().build(), -1, (short) -1, -1, false, T0, 20, 50);
        ByteBuffer expected = ByteBuffer.allocate(sent.remaining()).put(sent.duplicate()).flip();
        log.append(batch(T0, 1), 0);
        log.append(sent, 3);
        expected.putLong(0, 1L).putInt(12, 3); // only the base offset and leader epoch change

        ReadResult read = log.read(1, 1 << 20, false);
        assertThat(read.records()).isEqualTo(expected);
        MutableRecordBatch batch = kafkaBatches(read.records()).get(0);
        assertThat(batch.compressionType().name).isEqualTo("gzip");
        List<String> keys = new ArrayList<>();
        for (Record r : batch) keys.add(new String(org.apache.kafka.common.utils.Utils.toArray(r.key())));
        assertThat(keys).hasSize(20).startsWith("k0", "k1");
    }

    @Test
    void appendsSeveralBatchesAtOnce() throws Exception {
        AppendResult result = log.append(concat(batch(T0, 2), batch(T0, 3), batch(T0, 1)), 0);
        assertThat(result.baseOffset()).isZero();
        assertThat(result.lastOffset()).isEqualTo(5);
        assertThat(result.recordCount()).isEqualTo(6);
        assertThat(allBatches(log)).extracting(RecordBatchView::baseOffset).containsExactly(0L, 2L, 5L);
    }

    @Test
    void acceptsAReadOnlyBuffer() throws Exception {
        assertThat(log.append(batch(T0, 2).asReadOnlyBuffer(), 0).lastOffset()).isEqualTo(1);
        assertThat(allBatches(log).get(0).isValid()).isTrue();
    }

    @Test
    void readReturnsWholeBatchesFromTheOneHoldingTheOffset() throws Exception {
        for (int i = 0; i < 10; i++) log.append(batch(T0, 3), 0); // offsets 0..29, 3 per batch
        ReadResult read = log.read(14, 1 << 20, false); // 14 is inside batch 12..14
        List<MutableRecordBatch> batches = kafkaBatches(read.records());
        assertThat(batches.get(0).baseOffset()).isEqualTo(12);
        assertThat(batches).hasSize(6);
        assertThat(read.sizeInBytes()).isEqualTo(batches.stream().mapToInt(RecordBatch::sizeInBytes).sum());
        assertThat(read.logStartOffset()).isZero();
        assertThat(read.logEndOffset()).isEqualTo(30);
        assertThat(read.records().isReadOnly()).isTrue();
        assertThat(read.records().position()).isZero();
    }

    @Test
    void readStopsAtMaxBytesOnABatchBoundary() throws Exception {
        for (int i = 0; i < 10; i++) log.append(batch(T0, 1), 0);
        int batchSize = allBatches(log).get(0).sizeInBytes();
        ReadResult read = log.read(0, batchSize * 3 + batchSize / 2, false);
        assertThat(read.sizeInBytes()).isEqualTo(batchSize * 3);
        assertThat(kafkaBatches(read.records())).hasSize(3);
    }

    @Test
    void firstBatchLargerThanMaxBytesComesWholeOnlyWithMinOneBatch() throws Exception {
        log.append(batch(T0, 10, 100), 0);
        int size = allBatches(log).get(0).sizeInBytes();

        ReadResult kip74 = log.read(0, 100, true);
        assertThat(kip74.sizeInBytes()).isEqualTo(size);
        assertThat(kafkaBatches(kip74.records()).get(0).isValid()).isTrue();

        ReadResult strict = log.read(0, 100, false);
        assertThat(strict.sizeInBytes()).isZero();
    }

    @Test
    void readAtTheLogEndIsEmptyAndBeyondIsOutOfRange() throws Exception {
        log.append(batch(T0, 2), 0);
        ReadResult atEnd = log.read(2, 1000, true);
        assertThat(atEnd.sizeInBytes()).isZero();
        assertThat(atEnd.logEndOffset()).isEqualTo(2);
        assertThatThrownBy(() -> log.read(3, 1000, true))
                .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.error()).isEqualTo(LogError.OFFSET_OUT_OF_RANGE));
        assertThatThrownBy(() -> log.read(-1, 1000, true))
                .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.error()).isEqualTo(LogError.OFFSET_OUT_OF_RANGE));
    }

    @Test
    void readResultPointsAtTheFileSlice() throws Exception {
        log.append(batch(T0, 1), 0);
        log.append(batch(T0, 1), 0);
        ReadResult read = log.read(1, 1000, true);
        ByteBuffer fromFile = ByteBuffer.allocate(read.sizeInBytes());
        read.channel().read(fromFile, read.position());
        assertThat(fromFile.flip()).isEqualTo(read.records());
    }

    @Test
    void emptyLogReadsEmpty() throws Exception {
        assertThat(log.read(0, 100, true).sizeInBytes()).isZero();
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.segmentCount()).isEqualTo(1);
        assertThat(log.batchWithLargestTimestamp()).isEmpty();
    }

    @Test
    void logAppendTimeRewritesTimestampsWithAValidCrc() throws Exception {
        log.close();
        log = PartitionLog.open(dir, LogConfig.DEFAULT.withLogAppendTime(true), clock);
        clock.advance(5_000);
        long now = clock.millis();

        ByteBuffer sent = build(Compression.gzip().build(), -1, (short) -1, -1, false, T0 - 60_000, 4, 10);
        AppendResult result = log.append(sent, 0);
        assertThat(result.logAppendTime()).isEqualTo(now);

        MutableRecordBatch stored = kafkaBatches(log.read(0, 1 << 20, true).records()).get(0);
        assertThat(stored.isValid()).isTrue();
        stored.ensureValid();
        assertThat(stored.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(stored.maxTimestamp()).isEqualTo(now);
        for (Record r : stored) assertThat(r.timestamp()).isEqualTo(now);
        assertThat(log.batchWithLargestTimestamp()).get().extracting(RecordBatchView::maxTimestamp).isEqualTo(now);
    }

    @Test
    void createTimeReportsNoLogAppendTime() throws Exception {
        assertThat(log.append(batch(T0, 1), 0).logAppendTime()).isEqualTo(-1);
    }

    @Test
    void batchesFromIteratesAcrossSegmentsFromTheHoldingBatch() throws Exception {
        log.close();
        log = PartitionLog.open(dir, smallConfig().withSegmentBytes(1024), clock);
        for (int i = 0; i < 60; i++) log.append(batch(T0, 2), 0);
        assertThat(log.segmentCount()).isGreaterThan(3);
        List<Long> bases = new ArrayList<>();
        log.batchesFrom(51).forEach(b -> bases.add(b.baseOffset()));
        assertThat(bases.get(0)).isEqualTo(50);
        assertThat(bases).hasSize(35).isSorted();
        assertThat(log.batchesFrom(120)).isEmpty();
        for (RecordBatchView b : log.batchesFrom(0)) assertThat(b.isValid()).isTrue();
    }

    @Test
    void needsFlushFollowsFlushMessagesAndFlushMs() throws Exception {
        log.close();
        log = PartitionLog.open(dir, LogConfig.DEFAULT.withFlushMessages(5).withFlushMs(1000), clock);
        log.append(batch(T0, 3), 0);
        assertThat(log.needsFlush()).isFalse();
        clock.advance(1000);
        assertThat(log.needsFlush()).isTrue();
        log.flush();
        assertThat(log.needsFlush()).isFalse();
        assertThat(log.recoveryPoint()).isEqualTo(3);
        log.append(batch(T0, 5), 0);
        assertThat(log.needsFlush()).isTrue();
    }

    @Test
    void closedLogRefusesWork() throws Exception {
        log.close();
        assertThatThrownBy(() -> log.append(batch(T0, 1), 0))
                .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.error()).isEqualTo(LogError.STORAGE_ERROR));
        log.close(); // idempotent
    }

    @Test
    void batchesLargerThanTheScanBuffersWork() throws Exception {
        log.append(batch(T0, 1), 0);
        log.append(batch(T0, 4, 40_000), 0); // ~160 KB: past the 8 KB lookup and 64 KB iterator buffers
        log.append(batch(T0, 1), 0);
        assertThat(RecordBatchView.wrap(log.read(3, 10, true).records()).baseOffset()).isEqualTo(1);
        assertThat(RecordBatchView.wrap(log.read(5, 10, true).records()).baseOffset()).isEqualTo(5);
        assertThat(allBatches(log)).extracting(RecordBatchView::isValid).containsExactly(true, true, true);
        log.closeUncleanly();
        log = PartitionLog.open(dir, LogConfig.DEFAULT.withIndexIntervalBytes(0), clock);
        assertThat(log.loadResult().bytesTruncated()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(6);
    }
}
