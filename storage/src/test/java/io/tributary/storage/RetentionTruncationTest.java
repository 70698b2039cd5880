package io.tributary.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static io.tributary.storage.LogTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetentionTruncationTest {
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(T0);
    LogConfig config = smallConfig();

    private long logFiles() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".log")).count();
        }
    }

    @Test
    void advancingTheLogStartDeletesWholeSegmentsBelowIt() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            appendBatches(log, 200, T0);
            int before = log.segmentCount();
            long secondBase = allBatches(log).stream().filter(b -> b.baseOffset() > 0)
                    .map(RecordBatchView::baseOffset).filter(o -> {
                        try {
                            return log.read(o, 1, true).channel() != log.read(0, 1, true).channel();
                        } catch (LogException e) {
                            throw new AssertionError(e);
                        }
                    }).findFirst().orElseThrow();

            log.advanceLogStartOffset(secondBase - 1); // still inside the first segment
            assertThat(log.segmentCount()).isEqualTo(before);
            assertThat(log.logStartOffset()).isEqualTo(secondBase - 1);
            assertThatThrownBy(() -> log.read(secondBase - 2, 100, true))
                    .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.error()).isEqualTo(LogError.OFFSET_OUT_OF_RANGE));
            assertThat(RecordBatchView.wrap(log.read(secondBase - 1, 1, true).records()).baseOffset()).isEqualTo(secondBase - 1);

            log.advanceLogStartOffset(secondBase + 3);
            assertThat(log.segmentCount()).isEqualTo(before - 1);
            assertThat(logFiles()).isEqualTo(before - 1);
            assertThat(log.append(batch(T0, 1), 0).logStartOffset()).isEqualTo(secondBase + 3);

            assertThatThrownBy(() -> log.advanceLogStartOffset(log.logEndOffset() + 1))
                    .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.error()).isEqualTo(LogError.OFFSET_OUT_OF_RANGE));
            log.advanceLogStartOffset(5); // moving backwards is a no-op
            assertThat(log.logStartOffset()).isEqualTo(secondBase + 3);
        }
    }

    @Test
    void theLogStartSurvivesRestarts() throws Exception {
        PartitionLog log = PartitionLog.open(dir, config, clock);
        appendBatches(log, 200, T0);
        log.advanceLogStartOffset(150);
        int segments = log.segmentCount();
        log.closeUncleanly();
        log = PartitionLog.open(dir, config, clock);
        assertThat(log.logStartOffset()).isEqualTo(150);
        assertThat(log.segmentCount()).isEqualTo(segments);
        log.close();
        try (PartitionLog reopened = PartitionLog.open(dir, config, clock)) {
            assertThat(reopened.logStartOffset()).isEqualTo(150);
            assertThat(allBatches(reopened).get(0).baseOffset()).isEqualTo(150);
        }
    }

    @Test
    void theWholeLogCanBeDeletedUpToTheEnd() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            appendBatches(log, 200, T0);
            log.advanceLogStartOffset(200);
            assertThat(log.segmentCount()).isEqualTo(1);
            assertThat(log.read(200, 100, true).sizeInBytes()).isZero();
            assertThat(log.append(batch(T0, 1), 0).baseOffset()).isEqualTo(200);
        }
    }

    @Test
    void truncateToDropsEverythingFromAnOffset() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            for (int i = 0; i < 100; i++) log.append(batch(T0 + i, 2), 0); // offsets 0..199
            int segments = log.segmentCount();
            log.truncateTo(151); // inside batch 150..151: it goes entirely
            assertThat(log.logEndOffset()).isEqualTo(150);
            assertThat(log.segmentCount()).isLessThanOrEqualTo(segments);
            assertThat(logFiles()).isEqualTo(log.segmentCount());
            assertThat(log.batchWithLargestTimestamp()).get().extracting(RecordBatchView::baseOffset).isEqualTo(148L);
            assertThat(log.append(batch(T0, 1), 0).baseOffset()).isEqualTo(150);
            assertThat(allBatches(log)).hasSize(76).allMatch(RecordBatchView::isValid);

            log.truncateTo(40);
            assertThat(log.logEndOffset()).isEqualTo(40);
            assertThat(log.append(batch(T0, 1), 0).baseOffset()).isEqualTo(40);
        }
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            assertThat(log.logEndOffset()).isEqualTo(41);
            assertThat(allBatches(log)).extracting(RecordBatchView::baseOffset).endsWith(38L, 40L);
        }
    }

    @Test
    void truncationForgetsProducerStateAboveTheCut() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            for (int i = 0; i < 10; i++) log.append(idempotent(7L, 0, i, 1), 0);
            log.truncateTo(6);
            assertThat(log.producerState().entry(7L).lastSeq()).isEqualTo(5);
            assertThat(log.append(idempotent(7L, 0, 6, 1), 0).baseOffset()).isEqualTo(6);
        }
    }

    @Test
    void truncateBelowTheFirstSegmentRestartsTheLog() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            appendBatches(log, 200, T0);
            log.advanceLogStartOffset(150);
            log.truncateTo(20);
            assertThat(log.logStartOffset()).isEqualTo(20);
            assertThat(log.logEndOffset()).isEqualTo(20);
            assertThat(log.segmentCount()).isEqualTo(1);
            assertThat(log.append(batch(T0, 1), 0).baseOffset()).isEqualTo(20);
        }
    }

    @Test
    void deleteRemovesTheDirectory() throws Exception {
        PartitionLog log = PartitionLog.open(dir.resolve("topic-0"), config, clock);
        appendBatches(log, 10, T0);
        log.delete();
        assertThat(dir.resolve("topic-0")).doesNotExist();
    }
}
