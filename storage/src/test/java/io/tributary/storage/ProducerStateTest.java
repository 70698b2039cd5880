package io.tributary.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.tributary.storage.LogTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProducerStateTest {
    static final long PID = 1000L;

    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(T0);
    LogConfig config = smallConfig();
    PartitionLog log;

    @BeforeEach
    void open() throws Exception {
        log = PartitionLog.open(dir, config, clock);
    }

    @AfterEach
    void close() throws Exception {
        log.close();
    }

    private void assertRefused(ByteBuffer batch, LogError error) {
        long end = log.logEndOffset();
        assertThatThrownBy(() -> log.append(batch, 0))
                .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.error()).isEqualTo(error));
        assertThat(log.logEndOffset()).isEqualTo(end);
    }

    /** Seven batches of 2 records: sequences 0-1, 2-3, ... 12-13 at offsets 0-1 ... 12-13. */
    private void sevenBatches() throws LogException {
        for (int i = 0; i < 7; i++) log.append(idempotent(PID, 0, 2 * i, 2), 0);
    }

    @Test
    void duplicatesOfTheLastFiveBatchesReturnTheOriginalOffsets() throws Exception {
        log.append(batch(T0, 3), 0); // shift offsets away from sequences
        sevenBatches();
        for (int i = 2; i < 7; i++) {
            AppendResult dup = log.append(idempotent(PID, 0, 2 * i, 2), 0);
            assertThat(dup.duplicate()).isTrue();
            assertThat(dup.baseOffset()).isEqualTo(3 + 2 * i);
            assertThat(dup.lastOffset()).isEqualTo(4 + 2 * i);
            assertThat(dup.recordCount()).isEqualTo(2);
        }
        assertThat(log.logEndOffset()).isEqualTo(17);
        // The sixth-newest batch is no longer retained: it is out of order, not a duplicate.
        assertRefused(idempotent(PID, 0, 2, 2), LogError.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(log.append(idempotent(PID, 0, 14, 1), 0).baseOffset()).isEqualTo(17);
    }

    @Test
    void gapsAndRepeatsThatAreNotDuplicatesAreOutOfOrder() throws Exception {
        sevenBatches();
        assertRefused(idempotent(PID, 0, 15, 1), LogError.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertRefused(idempotent(PID, 0, 13, 1), LogError.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertRefused(idempotent(PID, 0, 12, 1), LogError.OUT_OF_ORDER_SEQUENCE_NUMBER); // overlaps, not equal
        assertThat(log.append(idempotent(PID, 0, 14, 1), 0).duplicate()).isFalse();
    }

    @Test
    void epochsFenceAndRestartSequences() throws Exception {
        log.append(idempotent(PID, 3, 0, 2), 0);
        assertRefused(idempotent(PID, 2, 2, 1), LogError.INVALID_PRODUCER_EPOCH);
        assertRefused(idempotent(PID, 4, 5, 1), LogError.OUT_OF_ORDER_SEQUENCE_NUMBER);
        log.append(idempotent(PID, 4, 0, 1), 0);
        // The old epoch's batches are forgotten: resending one is no longer a duplicate but a stale epoch.
        assertRefused(idempotent(PID, 3, 0, 2), LogError.INVALID_PRODUCER_EPOCH);
        assertThat(log.append(idempotent(PID, 4, 1, 1), 0).baseOffset()).isEqualTo(3);
    }

    @Test
    void unknownProducerMayStartAnywhereAndSequencesWrap() throws Exception {
        log.append(idempotent(PID, 0, Integer.MAX_VALUE - 1, 2), 0);
        assertThat(log.append(idempotent(PID, 0, 0, 1), 0).baseOffset()).isEqualTo(2);
        assertThat(log.append(idempotent(PID + 1, 0, 777, 1), 0).baseOffset()).isEqualTo(3);
    }

    @Test
    void batchesOfOneAppendAreCheckedInOrder() throws Exception {
        AppendResult r = log.append(concat(idempotent(PID, 0, 0, 2), idempotent(PID, 0, 2, 2)), 0);
        assertThat(r.lastOffset()).isEqualTo(3);
        assertRefused(concat(idempotent(PID, 0, 4, 2), idempotent(PID, 0, 7, 1)), LogError.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(log.append(idempotent(PID, 0, 4, 1), 0).duplicate()).isFalse();
    }

    @Test
    void transactionalBatchesAreTrackedLikeIdempotentOnes() throws Exception {
        log.append(transactional(PID, 0, 0, 2), 0);
        assertThat(log.append(transactional(PID, 0, 0, 2), 0).duplicate()).isTrue();
        assertThat(log.producerState().entry(PID).currentTxnFirstOffset()).isZero();
    }

    @Test
    void stateSurvivesACleanRestartThroughTheSnapshot() throws Exception {
        sevenBatches();
        log.close();
        assertThat(dir.resolve("00000000000000000014.snapshot")).exists();
        log = PartitionLog.open(dir, config, clock);
        assertThat(log.append(idempotent(PID, 0, 10, 2), 0)).extracting(AppendResult::duplicate, AppendResult::baseOffset)
                .containsExactly(true, 10L);
        assertRefused(idempotent(PID, 0, 20, 1), LogError.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(log.append(idempotent(PID, 0, 14, 1), 0).baseOffset()).isEqualTo(14);
    }

    @Test
    void stateSurvivesACrashByReplayingTheLog() throws Exception {
        sevenBatches();
        log.append(idempotent(PID + 1, 5, 0, 1), 0);
        log.closeUncleanly();
        log = PartitionLog.open(dir, config, clock);
        assertThat(log.append(idempotent(PID, 0, 12, 2), 0).duplicate()).isTrue();
        assertRefused(idempotent(PID + 1, 4, 1, 1), LogError.INVALID_PRODUCER_EPOCH);
        assertThat(log.append(idempotent(PID + 1, 5, 1, 1), 0).baseOffset()).isEqualTo(15);
    }

    @Test
    void snapshotsAreTakenAtRollsAndOnlyTheNewestTwoKept() throws Exception {
        for (int i = 0; i < 200; i++) log.append(idempotent(PID, 0, i, 1), 0);
        assertThat(log.segmentCount()).isGreaterThan(3);
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".snapshot")).count()).isEqualTo(2);
        }
        // With a snapshot part-way through, an unclean restart replays only what follows it.
        log.closeUncleanly();
        log = PartitionLog.open(dir, config, clock);
        assertThat(log.append(idempotent(PID, 0, 199, 1), 0).baseOffset()).isEqualTo(199);
        assertThat(log.append(idempotent(PID, 0, 200, 1), 0).baseOffset()).isEqualTo(200);
    }

    @Test
    void aCorruptSnapshotFallsBackToAnOlderOneOrTheLog() throws Exception {
        sevenBatches();
        log.close();
        Files.write(dir.resolve("00000000000000000014.snapshot"), new byte[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        log = PartitionLog.open(dir, config, clock);
        assertThat(log.append(idempotent(PID, 0, 12, 2), 0).duplicate()).isTrue();
    }

    @Test
    void snapshotRoundTrip() {
        ProducerStateManager m = new ProducerStateManager();
        m.replay(1, (short) 2, 0, 4, 100, 104, T0, true, false);
        m.replay(1, (short) 2, 5, 9, 105, 109, T0 + 1, true, false);
        m.replay(3, (short) 0, 7, 7, 110, 110, T0 + 2, false, false);
        ByteBuffer bytes;
        try {
            ProducerStateSnapshot.write(dir, 111, m.entries(), true);
            bytes = ByteBuffer.wrap(Files.readAllBytes(ProducerStateSnapshot.path(dir, 111)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        var entries = ProducerStateSnapshot.parse(bytes);
        assertThat(entries).hasSize(2);
        var one = entries.stream().filter(e -> e.producerId() == 1).findFirst().orElseThrow();
        assertThat(one.epoch()).isEqualTo((short) 2);
        assertThat(one.batches()).hasSize(2);
        assertThat(one.lastSeq()).isEqualTo(9);
        assertThat(one.currentTxnFirstOffset()).isEqualTo(100);
        bytes.put(bytes.limit() - 1, (byte) 99);
        assertThat(ProducerStateSnapshot.parse(bytes.rewind())).isNull();
    }

    @Test
    void idleProducersExpire() throws Exception {
        log.append(idempotent(PID, 0, 0, 1), 0);
        clock.advance(10_000);
        assertThat(log.removeExpiredProducers(60_000)).isZero();
        // The batch timestamp (T0) is what counts, as in Kafka.
        clock.advance(60_000);
        assertThat(log.removeExpiredProducers(60_000)).isEqualTo(1);
        assertThat(log.append(idempotent(PID, 0, 5, 1), 0).duplicate()).isFalse();
    }
}
