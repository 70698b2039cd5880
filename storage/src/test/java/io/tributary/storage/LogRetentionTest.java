package io.tributary.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.tributary.storage.LogTestSupport.MutableClock;
import static io.tributary.storage.LogTestSupport.T0;
import static io.tributary.storage.LogTestSupport.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retention by time and by size deletes exactly the segments Kafka's rules pick, whole, oldest first. */
class LogRetentionTest {
    static final long STEP = 10_000;

    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(T0);
    // segment.ms below STEP: a batch STEP newer than a segment's first batch rolls, so each group below is a segment.
    LogConfig config = LogConfig.DEFAULT.withSegmentMs(STEP - 1).withIndexIntervalBytes(0);

    /** Six segments; segment s holds three batches stamped T0 + s * STEP. Returns their base offsets. */
    private List<Long> sixSegments(PartitionLog log) throws LogException {
        List<Long> bases = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            for (int b = 0; b < 3; b++) {
                AppendResult r = log.append(batch(T0 + s * STEP, 2, 100), 0);
                if (b == 0) bases.add(r.baseOffset());
            }
        }
        assertThat(log.segmentCount()).isEqualTo(6);
        return bases;
    }

    private long logFiles() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".log")).count();
        }
    }

    @Test
    void retentionMsDeletesTheSegmentsWhoseNewestRecordIsTooOld() throws Exception {
        LogConfig c = config.withCleanup(CleanupConfig.DEFAULT.withRetention(35_000, -1));
        try (PartitionLog log = PartitionLog.open(dir, c, clock)) {
            List<Long> bases = sixSegments(log);
            clock.advance(6 * STEP); // now - segment s's timestamp = (6 - s) * STEP: s = 0, 1, 2 are past 35 s
            PartitionLog.SegmentDeletion deletion = log.planRetention(clock.millis());
            assertThat(deletion.baseOffsets()).containsExactly(bases.get(0), bases.get(1), bases.get(2));
            // The log start moves at once, before any file is touched.
            assertThat(log.logStartOffset()).isEqualTo(bases.get(3));
            assertThatThrownBy(() -> log.read(bases.get(3) - 1, 100, true))
                    .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.error()).isEqualTo(LogError.OFFSET_OUT_OF_RANGE));
            assertThat(logFiles()).isEqualTo(6);
            deletion.run();
            assertThat(logFiles()).isEqualTo(3);
            assertThat(log.planRetention(clock.millis())).isNull();
        }
        try (PartitionLog reopened = PartitionLog.open(dir, c, clock)) {
            assertThat(reopened.segmentCount()).isEqualTo(3);
            assertThat(LogTestSupport.allBatches(reopened).get(0).baseOffset()).isEqualTo(reopened.logStartOffset());
        }
    }

    @Test
    void retentionBytesDeletesOldestSegmentsWhileTheRestStillReachesTheLimit() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            List<Long> bases = sixSegments(log);
            long total = log.sizeInBytes();
            long segment = total / 6;
            // Kafka's rule: delete while (size - limit) >= the segment's size. With a limit of 2.5 segments,
            // 3 segments go (3.5 excess segments' worth covers three of them).
            long limit = total - (long) (3.5 * segment);
            log.updateConfig(config.withCleanup(CleanupConfig.DEFAULT.withRetention(-1, limit)));
            PartitionLog.SegmentDeletion deletion = log.planRetention(clock.millis());
            assertThat(deletion.baseOffsets()).containsExactly(bases.get(0), bases.get(1), bases.get(2));
            deletion.run();
            assertThat(log.sizeInBytes()).isGreaterThanOrEqualTo(limit);
            assertThat(log.segmentCount()).isEqualTo(3);
        }
    }

    @Test
    void anExpiredActiveSegmentIsRolledAndDeletedToo() throws Exception {
        LogConfig c = config.withCleanup(CleanupConfig.DEFAULT.withRetention(1_000, -1));
        try (PartitionLog log = PartitionLog.open(dir, c, clock)) {
            sixSegments(log);
            long end = log.logEndOffset();
            clock.advance(10 * STEP);
            PartitionLog.SegmentDeletion deletion = log.planRetention(clock.millis());
            assertThat(deletion.segments()).isEqualTo(6);
            deletion.run();
            assertThat(log.logStartOffset()).isEqualTo(end);
            assertThat(log.logEndOffset()).isEqualTo(end);
            assertThat(log.segmentCount()).isEqualTo(1);
            assertThat(log.append(batch(clock.millis(), 1), 0).baseOffset()).isEqualTo(end);
            // An empty active segment is never rolled for retention.
            clock.advance(10 * STEP);
            PartitionLog.SegmentDeletion again = log.planRetention(clock.millis());
            again.run();
            assertThat(log.logStartOffset()).isEqualTo(end + 1);
            assertThat(log.planRetention(clock.millis() + 10 * STEP)).isNull();
        }
    }

    @Test
    void unlimitedRetentionAndCompactOnlyLogsKeepEverything() throws Exception {
        LogConfig unlimited = config.withCleanup(CleanupConfig.DEFAULT.withRetention(-1, -1));
        try (PartitionLog log = PartitionLog.open(dir, unlimited, clock)) {
            sixSegments(log);
            clock.advance(1000 * STEP);
            assertThat(log.planRetention(clock.millis())).isNull();
            log.updateConfig(config.withCleanup(CleanupConfig.compacted().withRetention(1, 1)));
            assertThat(log.planRetention(clock.millis())).isNull();
            // Below the log start offset, segments go whatever the policy.
            log.advanceLogStartOffsetDeferred(log.logEndOffset() - 1).run();
            assertThat(log.segmentCount()).isEqualTo(1);
        }
    }

    @Test
    void segmentsWithoutTimestampsAgeByTheirLastWrite() throws Exception {
        LogConfig c = LogConfig.DEFAULT.withSegmentBytes(1024).withIndexIntervalBytes(0)
                .withCleanup(CleanupConfig.DEFAULT.withRetention(5_000, -1));
        try (PartitionLog log = PartitionLog.open(dir, c, clock)) {
            for (int i = 0; i < 30; i++) log.append(batch(-1, 2, 100), 0);
            int segments = log.segmentCount();
            assertThat(segments).isGreaterThan(2);
            assertThat(log.planRetention(clock.millis() + 4_000)).isNull();
            PartitionLog.SegmentDeletion d = log.planRetention(clock.millis() + 6_000);
            assertThat(d.segments()).isEqualTo(segments);
            d.run();
            assertThat(log.logStartOffset()).isEqualTo(log.logEndOffset());
        }
    }
}
