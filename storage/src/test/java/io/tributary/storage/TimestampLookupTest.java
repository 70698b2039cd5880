package io.tributary.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.tributary.storage.LogTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

class TimestampLookupTest {
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(T0);
    LogConfig config = smallConfig().withIndexIntervalBytes(200);

    /** Batch i (one record, offset i) has timestamp T0 + 10 * i, except a few out-of-order ones. */
    private void fill(PartitionLog log) throws LogException {
        for (int i = 0; i < 200; i++) {
            long ts = T0 + 10L * i;
            if (i == 50) ts = T0 + 10L * 120; // a producer clock jump: max reached early
            if (i == 51) ts = T0;             // and an old timestamp
            log.append(batch(ts, 1), 0);
        }
    }

    @Test
    void findsTheFirstBatchReachingATimestamp() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            fill(log);
            assertThat(log.segmentCount()).isGreaterThan(3);
            check(log);
        }
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            check(log);
        }
    }

    private static void check(PartitionLog log) {
        assertThat(log.firstBatchWithMaxTimestampAtLeast(T0 - 5)).get().extracting(RecordBatchView::baseOffset).isEqualTo(0L);
        assertThat(log.firstBatchWithMaxTimestampAtLeast(T0 + 10 * 7)).get().extracting(RecordBatchView::baseOffset).isEqualTo(7L);
        assertThat(log.firstBatchWithMaxTimestampAtLeast(T0 + 10 * 7 + 1)).get().extracting(RecordBatchView::baseOffset).isEqualTo(8L);
        // 50 jumped ahead to T0+1200, so everything from T0+500 up to T0+1200 is first reached there.
        assertThat(log.firstBatchWithMaxTimestampAtLeast(T0 + 10 * 60)).get().extracting(RecordBatchView::baseOffset).isEqualTo(50L);
        assertThat(log.firstBatchWithMaxTimestampAtLeast(T0 + 10 * 120)).get().extracting(RecordBatchView::baseOffset).isEqualTo(50L);
        assertThat(log.firstBatchWithMaxTimestampAtLeast(T0 + 10 * 121)).get().extracting(RecordBatchView::baseOffset).isEqualTo(121L);
        assertThat(log.firstBatchWithMaxTimestampAtLeast(T0 + 10 * 199)).get().extracting(RecordBatchView::baseOffset).isEqualTo(199L);
        assertThat(log.firstBatchWithMaxTimestampAtLeast(T0 + 10 * 199 + 1)).isEmpty();
        for (long i = 0; i < 200; i += 13) {
            RecordBatchView found = log.firstBatchWithMaxTimestampAtLeast(T0 + 10 * i).orElseThrow();
            assertThat(found.maxTimestamp()).isGreaterThanOrEqualTo(T0 + 10 * i);
            assertThat(found.isValid()).isTrue();
        }
    }

    @Test
    void largestTimestampPrefersTheEarliestBatch() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            for (int i = 0; i < 100; i++) log.append(batch(T0 + i, 1), 0);
            log.append(batch(T0 + 5000, 1), 0); // offset 100
            for (int i = 0; i < 100; i++) log.append(batch(T0 + i, 1), 0);
            log.append(batch(T0 + 5000, 1), 0); // offset 201, a tie
            assertThat(log.batchWithLargestTimestamp()).get().extracting(RecordBatchView::baseOffset).isEqualTo(100L);
        }
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            assertThat(log.batchWithLargestTimestamp()).get().extracting(RecordBatchView::baseOffset).isEqualTo(100L);
        }
    }

    @Test
    void timestampSearchSkipsBatchesBelowTheLogStart() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            for (int i = 0; i < 10; i++) log.append(batch(T0 + i, 1), 0);
            log.advanceLogStartOffset(5);
            assertThat(log.firstBatchWithMaxTimestampAtLeast(T0)).get().extracting(RecordBatchView::baseOffset).isEqualTo(5L);
        }
    }

    @Test
    void timestampsSurviveAnUncleanRestart() throws Exception {
        PartitionLog log = PartitionLog.open(dir, config, clock);
        fill(log);
        log.closeUncleanly();
        try (PartitionLog reopened = PartitionLog.open(dir, config, clock)) {
            assertThat(reopened.loadResult().cleanShutdown()).isFalse();
            check(reopened);
            assertThat(reopened.batchWithLargestTimestamp()).get().extracting(RecordBatchView::baseOffset).isEqualTo(199L);
        }
    }
}
