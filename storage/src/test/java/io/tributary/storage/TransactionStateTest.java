package io.tributary.storage;

import io.tributary.storage.KeyedRecords.Rec;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.tributary.storage.LogTestSupport.MutableClock;
import static io.tributary.storage.LogTestSupport.T0;
import static io.tributary.storage.LogTestSupport.batch;
import static io.tributary.storage.LogTestSupport.kafkaBatches;
import static io.tributary.storage.LogTestSupport.smallConfig;
import static io.tributary.storage.LogTestSupport.transactional;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Transactions in the partition log: the last stable offset, transaction markers, the aborted transaction index
 * (Kafka's .txnindex), what survives a clean restart and a crash, and transaction-aware compaction.
 */
class TransactionStateTest {
    static final long A = 7000L;
    static final long B = 8000L;

    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(T0);

    /** plain 0-1 | A 2-4 | plain 5 | B 6-7 */
    private void twoOpenTransactions(PartitionLog log) throws LogException {
        log.append(batch(T0, 2), 0);
        log.append(transactional(A, 0, 0, 3), 0);
        log.append(batch(T0, 1), 0);
        log.append(transactional(B, 0, 0, 2), 0);
    }

    @Test
    void markersEndTransactionsAndMoveTheLastStableOffset() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, smallConfig(), clock)) {
            twoOpenTransactions(log);
            assertThat(log.lastStableOffset()).isEqualTo(2);

            AppendResult commit = log.appendMarker(A, (short) 0, true, 0, 0);
            assertThat(commit.baseOffset()).isEqualTo(8);
            assertThat(log.lastStableOffset()).as("B's transaction is still open").isEqualTo(6);
            log.appendMarker(B, (short) 0, false, 0, 0);
            assertThat(log.lastStableOffset()).isEqualTo(10).isEqualTo(log.logEndOffset());

            assertThat(log.abortedTransactions(0, 10)).containsExactly(new AbortedTxn(B, 6, 9, 10));
            assertThat(log.abortedTransactions(0, 6)).isEmpty();
            assertThat(log.abortedTransactions(10, 10)).isEmpty();

            // The markers are control batches the Kafka client understands.
            List<MutableRecordBatch> batches = kafkaBatches(log.read(8, 1 << 20, true).records());
            assertThat(batches).hasSize(2).allMatch(RecordBatch::isControlBatch);
            assertThat(ControlRecordType.parse(batches.get(0).iterator().next().key())).isEqualTo(ControlRecordType.COMMIT);
            assertThat(ControlRecordType.parse(batches.get(1).iterator().next().key())).isEqualTo(ControlRecordType.ABORT);
            assertThat(batches.get(1).producerId()).isEqualTo(B);
            assertThat(batches).allMatch(b -> {
                b.ensureValid();
                return true;
            });
        }
    }

    @Test
    void readsStopAtTheGivenOffset() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, smallConfig(), clock)) {
            twoOpenTransactions(log);
            ReadResult committed = log.read(0, 1 << 20, true, log.lastStableOffset());
            assertThat(kafkaBatches(committed.records())).extracting(RecordBatch::lastOffset).containsExactly(1L);
            assertThat(kafkaBatches(log.read(2, 1 << 20, true, 2).records())).isEmpty();
            assertThat(kafkaBatches(log.read(0, 1 << 20, true).records())).hasSize(4);
        }
    }

    @Test
    void anOldEpochCannotEndATransaction() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, smallConfig(), clock)) {
            log.append(transactional(A, 3, 0, 1), 0);
            assertThatThrownBy(() -> log.appendMarker(A, (short) 2, false, 0, 0))
                    .isInstanceOfSatisfying(LogException.class,
                            e -> assertThat(e.error()).isEqualTo(LogError.INVALID_PRODUCER_EPOCH));
            // A bumped epoch (the coordinator fencing the producer) ends it, and the old epoch may not write.
            log.appendMarker(A, (short) 4, false, 0, 0);
            assertThat(log.lastStableOffset()).isEqualTo(log.logEndOffset());
            assertThatThrownBy(() -> log.append(transactional(A, 3, 1, 1), 0)).isInstanceOf(LogException.class);
        }
    }

    @Test
    void openTransactionsAndAbortsSurviveACleanRestartAndACrash() throws Exception {
        PartitionLog log = PartitionLog.open(dir, smallConfig(), clock);
        twoOpenTransactions(log);
        log.appendMarker(B, (short) 0, false, 0, 0);
        log.close();
        assertThat(Files.list(dir).anyMatch(f -> f.toString().endsWith(".txnindex"))).isTrue();

        log = PartitionLog.open(dir, smallConfig(), clock);
        assertThat(log.lastStableOffset()).isEqualTo(2);
        assertThat(log.abortedTransactions(0, 100)).containsExactly(new AbortedTxn(B, 6, 8, 2));
        log.append(batch(T0, 1), 0);
        log.closeUncleanly();

        // After a crash the state is rebuilt from the snapshot and the log, without counting the abort twice.
        log = PartitionLog.open(dir, smallConfig(), clock);
        try {
            assertThat(log.lastStableOffset()).isEqualTo(2);
            assertThat(log.abortedTransactions(0, 100)).hasSize(1);
            log.appendMarker(A, (short) 0, true, 0, 0);
            assertThat(log.lastStableOffset()).isEqualTo(log.logEndOffset());
        } finally {
            log.close();
        }
    }

    @Test
    void coordinatorBatchesAreCheckedForEpochNotSequence() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, smallConfig(), clock)) {
            // Transactional offset commits all carry sequence 0; none is a duplicate of another.
            log.appendFromCoordinator(transactional(A, 1, 0, 1), 0);
            AppendResult second = log.appendFromCoordinator(transactional(A, 1, 0, 1), 0);
            assertThat(second.duplicate()).isFalse();
            assertThat(log.lastStableOffset()).isZero();
            assertThatThrownBy(() -> log.appendFromCoordinator(transactional(A, 0, 0, 1), 0))
                    .isInstanceOf(LogException.class);
        }
    }

    @Test
    void compactionDropsAbortedDataKeepsCommittedAndStopsAtTheLastStableOffset() throws Exception {
        LogConfig config = LogConfig.DEFAULT.withSegmentBytes(1024).withIndexIntervalBytes(0)
                .withCleanup(CleanupConfig.compacted().withDeleteRetentionMs(1_000));
        LogCleaner cleaner = new LogCleaner(TestRecordCodec.INSTANCE, Throttler.unlimited(), 1 << 20, 4096);
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            log.append(keyed(A, 0, 0, "k1", "committed"), 0);
            log.appendMarker(A, (short) 0, true, 0, 0);
            // An aborted rewrite of k1 must not shadow the committed value, and goes itself.
            log.append(keyed(B, 0, 0, "k1", "aborted"), 0);
            log.append(keyed(B, 0, 1, "k2", "aborted"), 0);
            log.appendMarker(B, (short) 0, false, 0, 0);
            // B's newest batch must be elsewhere: the newest batch of a producer is kept (empty) for its state.
            log.append(keyed(B, 0, 2, "k4", "later"), 0);
            log.appendMarker(B, (short) 0, true, 0, 0);
            fillSegments(log, 3, "f");
            long open = log.logEndOffset();
            log.append(keyed(A, 1, 0, "k3", "open"), 0);
            fillSegments(log, log.segmentCount() + 2, "g");
            assertThat(log.lastStableOffset()).isEqualTo(open);

            cleaner.cleanNow(log, clock.millis());
            List<Rec> records = KeyedRecords.records(log);
            assertThat(records).filteredOn(r -> "k1".equals(r.key())).extracting(Rec::value)
                    .containsExactly("committed");
            assertThat(records).filteredOn(r -> "k2".equals(r.key())).isEmpty();
            assertThat(records).filteredOn(r -> "k3".equals(r.key())).extracting(Rec::value).containsExactly("open");
            assertThat(records).filteredOn(r -> "k4".equals(r.key())).extracting(Rec::value).containsExactly("later");
            // Nothing at or past the open transaction was rewritten.
            assertThat(log.compaction().firstDirtyOffset()).isLessThanOrEqualTo(open);

            // Markers: the commits guard data and stay; the abort guards nothing any more, gets a delete horizon
            // in the next clean and goes in the first clean after it.
            log.appendMarker(A, (short) 1, true, 0, 0);
            fillSegments(log, log.segmentCount() + 3, "h");
            cleaner.cleanNow(log, clock.millis());
            assertThat(markers(log)).hasSize(4);
            clock.advance(2_000);
            assertThat(LogCleaner.cleanability(log, clock.millis()).mustClean()).isTrue();
            cleaner.cleanNow(log, clock.millis());
            List<RecordBatch> markers = markers(log);
            assertThat(markers).extracting(RecordBatch::producerId).containsExactly(A, B, A);
            assertThat(markers).allMatch(b -> ControlRecordType.parse(b.iterator().next().key()) == ControlRecordType.COMMIT);
            assertThat(KeyedRecords.records(log)).filteredOn(r -> r.key() != null && r.key().startsWith("k"))
                    .extracting(Rec::value).containsExactly("committed", "later", "open");
        }
    }

    private static List<RecordBatch> markers(PartitionLog log) {
        List<RecordBatch> out = new java.util.ArrayList<>();
        for (RecordBatchView v : log.batchesFrom(0)) {
            for (MutableRecordBatch b : MemoryRecords.readableRecords(v.buffer()).batches()) {
                if (b.isControlBatch() && b.iterator().hasNext()) out.add(b);
            }
        }
        return out;
    }

    private static void fillSegments(PartitionLog log, int segments, String prefix) throws LogException {
        for (int i = 0; log.segmentCount() < segments; i++) {
            log.append(KeyedRecords.batch(T0, prefix + i, "x".repeat(100)), 0);
        }
    }

    private static ByteBuffer keyed(long producerId, int epoch, int sequence, String key, String value) {
        ByteBuffer buf = ByteBuffer.allocate(512);
        MemoryRecordsBuilder builder = MemoryRecords.builder(buf, RecordBatch.MAGIC_VALUE_V2, Compression.NONE,
                TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, producerId, (short) epoch, sequence, true,
                RecordBatch.NO_PARTITION_LEADER_EPOCH);
        builder.append(T0, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        return builder.build().buffer();
    }
}
