package io.tributary.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.tributary.storage.LogTestSupport.MutableClock;
import static io.tributary.storage.LogTestSupport.T0;
import static io.tributary.storage.LogTestSupport.batch;
import static org.assertj.core.api.Assertions.assertThat;

/** The split flush: planned on the owner, fsynced elsewhere while appends go on, published on the owner. */
class LogFlushTest {
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(T0);

    @Test
    void aFlushCoversExactlyWhatWasAppendedBeforeItWasPlanned() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, LogConfig.DEFAULT, clock)) {
            for (int i = 0; i < 10; i++) log.append(batch(T0, 1), 0);
            PartitionLog.FlushTask task = log.prepareFlush(Long.MAX_VALUE);
            assertThat(task.target()).isEqualTo(10);
            // Appends continue while the fsync runs elsewhere.
            for (int i = 0; i < 5; i++) log.append(batch(T0, 1), 0);
            Thread worker = new Thread(() -> {
                try {
                    task.run();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            worker.start();
            worker.join();
            assertThat(log.recoveryPoint()).isZero(); // not published yet
            log.completeFlush(task, true);
            assertThat(log.recoveryPoint()).isEqualTo(10);
            assertThat(Checkpoint.read(dir).orElseThrow().recoveryPoint()).isEqualTo(10);
            // Nothing new: no task.
            PartitionLog.FlushTask rest = log.prepareFlush(15);
            rest.run();
            log.completeFlush(rest, true);
            assertThat(log.prepareFlush(15)).isNull();
            assertThat(log.recoveryPoint()).isEqualTo(15);
        }
    }

    @Test
    void flushMessagesAndFlushMsMakeAFlushDue() throws Exception {
        LogConfig c = LogConfig.DEFAULT.withFlushMessages(3).withFlushMs(1_000);
        try (PartitionLog log = PartitionLog.open(dir, c, clock)) {
            assertThat(log.millisUntilTimedFlush()).isEqualTo(-1);
            log.append(batch(T0, 1), 0);
            assertThat(log.flushDueByCount()).isFalse();
            assertThat(log.millisUntilTimedFlush()).isEqualTo(1_000);
            clock.advance(400);
            assertThat(log.millisUntilTimedFlush()).isEqualTo(600);
            log.append(batch(T0, 2), 0);
            assertThat(log.flushDueByCount()).isTrue();
            PartitionLog.FlushTask task = log.prepareFlush(log.logEndOffset());
            assertThat(log.flushDueByCount()).isFalse(); // counted from the planned flush on
            assertThat(log.millisUntilTimedFlush()).isEqualTo(-1);
            task.run();
            log.completeFlush(task, true);
            assertThat(log.recoveryPoint()).isEqualTo(3);
        }
    }

    @Test
    void aTruncationDuringAFlushKeepsTheRecoveryPointBelowTheNewEnd() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, LogConfig.DEFAULT, clock)) {
            for (int i = 0; i < 10; i++) log.append(batch(T0, 1), 0);
            PartitionLog.FlushTask task = log.prepareFlush(Long.MAX_VALUE);
            log.truncateTo(4);
            task.run();
            log.completeFlush(task, true);
            assertThat(log.recoveryPoint()).isLessThanOrEqualTo(4);
            assertThat(Checkpoint.read(dir).orElseThrow().recoveryPoint()).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void afterARolledSegmentIsFlushedACrashScansOnlyTheActiveSegment() throws Exception {
        LogConfig c = LogConfig.DEFAULT.withSegmentBytes(2048).withIndexIntervalBytes(0);
        PartitionLog log = PartitionLog.open(dir, c, clock);
        for (int i = 0; i < 100; i++) log.append(batch(T0, 1), 0);
        assertThat(log.segmentCount()).isGreaterThan(3);
        assertThat(log.hasUnflushedSealedSegments()).isTrue();
        PartitionLog.FlushTask task = log.prepareFlush(log.activeSegmentBaseOffset());
        task.run();
        log.completeFlush(task, true);
        assertThat(log.hasUnflushedSealedSegments()).isFalse();
        assertThat(log.recoveryPoint()).isEqualTo(log.activeSegmentBaseOffset());
        long end = log.logEndOffset();
        log.closeUncleanly();

        try (PartitionLog reopened = PartitionLog.open(dir, c, clock)) {
            assertThat(reopened.loadResult().cleanShutdown()).isFalse();
            // The segment holding the recovery point minus one is rechecked too (its last index entries may
            // postdate the fsync), then the active one.
            assertThat(reopened.loadResult().segmentsScanned()).isLessThanOrEqualTo(2);
            assertThat(reopened.logEndOffset()).isEqualTo(end);
        }
    }

    @Test
    void aFailedFlushPublishesNothing() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, LogConfig.DEFAULT.withSegmentBytes(1024), clock)) {
            for (int i = 0; i < 30; i++) log.append(batch(T0, 1), 0);
            PartitionLog.FlushTask task = log.prepareFlush(Long.MAX_VALUE);
            log.completeFlush(task, false);
            assertThat(log.recoveryPoint()).isZero();
            // The directory still needs its fsync: the next plan includes it.
            PartitionLog.FlushTask retry = log.prepareFlush(0);
            assertThat(retry).isNotNull();
        }
    }
}
