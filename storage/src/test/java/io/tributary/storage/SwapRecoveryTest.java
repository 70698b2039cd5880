package io.tributary.storage;

import io.tributary.storage.KeyedRecords.Rec;
import org.apache.kafka.common.compress.Compression;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.tributary.storage.LogTestSupport.MutableClock;
import static io.tributary.storage.LogTestSupport.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A crash at every step of a compaction swap: the reopened log holds exactly the old segments (crash before the
 * commit point) or exactly the cleaned ones (after it), never a mix, never a corrupt segment.
 */
class SwapRecoveryTest {
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(T0);
    LogConfig config = LogConfig.DEFAULT.withSegmentBytes(2048).withIndexIntervalBytes(0)
            .withCleanup(CleanupConfig.compacted());
    LogCleaner cleaner = new LogCleaner(TestRecordCodec.INSTANCE, Throttler.unlimited(), 1 << 20, 4096);

    /** A simulated power cut at a named point. */
    static final class Crash extends IOException {
        Crash(String point) {
            super("crash at " + point);
        }
    }

    @AfterEach
    void removeHook() {
        CrashPoints.install(null);
    }

    private void crashAt(String point) {
        CrashPoints.install(p -> {
            if (p.equals(point)) throw new Crash(p);
        });
    }

    private List<Rec> fill(PartitionLog log) throws LogException {
        CompactionTest.writeUpdates(log, 20, 8, 3, T0, Compression.NONE);
        CompactionTest.sealEverything(log, T0);
        return KeyedRecords.records(log);
    }

    /** What a successful clean of the same data gives, computed in a separate directory. */
    private List<Rec> cleanedReference() throws Exception {
        Path ref = Files.createTempDirectory(dir, "ref");
        try (PartitionLog log = PartitionLog.open(ref, config, new MutableClock(T0))) {
            fill(log);
            cleaner.cleanNow(log, T0);
            return KeyedRecords.records(log);
        }
    }

    @Test
    void aCrashBeforeTheCommitLeavesTheOldSegments() throws Exception {
        List<Rec> original;
        PartitionLog log = PartitionLog.open(dir, config, clock);
        original = fill(log);
        LogCleaner.CleanTask task = cleaner.prepare(log, clock.millis());
        crashAt("cleaned-written");
        assertThatThrownBy(task::clean).isInstanceOf(Crash.class);
        assertThat(files(".cleaned")).isNotEmpty();
        log.closeUncleanly();
        CrashPoints.install(null);

        try (PartitionLog reopened = PartitionLog.open(dir, config, clock)) {
            assertThat(KeyedRecords.records(reopened)).isEqualTo(original);
            assertThat(files(".cleaned")).isEmpty();
            assertThat(reopened.loadResult().swapCompleted()).isFalse();
            // And a clean after the restart works.
            assertThat(cleaner.cleanNow(reopened, clock.millis())).isNotNull();
            assertThat(KeyedRecords.records(reopened)).isEqualTo(cleanedReference());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"swap-committed", "swap-renamed", "swap-applied"})
    void aCrashAfterTheCommitCompletesTheSwapAtStartUp(String point) throws Exception {
        List<Rec> expected = cleanedReference();
        PartitionLog log = PartitionLog.open(dir, config, clock);
        fill(log);
        LogCleaner.CleanTask task = cleaner.prepare(log, clock.millis());
        task.clean();
        assertThat(task.beginSwap()).isTrue();
        crashAt(point);
        assertThatThrownBy(task::commit).isInstanceOf(Crash.class);
        assertThat(task.isCommitted()).isTrue();
        assertThat(Files.exists(dir.resolve(SwapIntent.FILE))).isTrue();
        // Until the restart, reads still see a complete log (the old segments, through their open files).
        assertThat(KeyedRecords.records(log)).hasSizeGreaterThan(expected.size());
        log.closeUncleanly();
        CrashPoints.install(null);

        try (PartitionLog reopened = PartitionLog.open(dir, config, clock)) {
            assertThat(reopened.loadResult().swapCompleted()).isTrue();
            assertThat(KeyedRecords.records(reopened)).isEqualTo(expected);
            assertThat(files(".cleaned")).isEmpty();
            assertThat(Files.exists(dir.resolve(SwapIntent.FILE))).isFalse();
            assertThat(reopened.loadResult().bytesTruncated()).isZero();
            // Every segment is whole: a full rescan finds nothing to cut.
            reopened.closeUncleanly();
        }
        Files.deleteIfExists(dir.resolve(LogFiles.CHECKPOINT));
        try (PartitionLog rescanned = PartitionLog.open(dir, config, clock)) {
            assertThat(rescanned.loadResult().bytesTruncated()).isZero();
            assertThat(rescanned.loadResult().segmentsScanned()).isEqualTo(rescanned.segmentCount());
            assertThat(KeyedRecords.records(rescanned)).isEqualTo(expected);
        }
    }

    @Test
    void aFailedCleanIsDiscardedAndTheLogKeepsWorking() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            List<Rec> original = fill(log);
            crashAt("cleaned-written");
            assertThatThrownBy(() -> cleaner.cleanNow(log, clock.millis())).isInstanceOf(Crash.class);
            CrashPoints.install(null);
            assertThat(files(".cleaned")).isEmpty();
            assertThat(log.compaction().activeClean()).isNull();
            assertThat(KeyedRecords.records(log)).isEqualTo(original);
            log.append(KeyedRecords.batch(T0, "after", "failure"), 0);
            assertThat(cleaner.cleanNow(log, clock.millis())).isNotNull();
        }
    }

    @Test
    void truncationAbortsACleanInProgress() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            fill(log);
            LogCleaner.CleanTask task = cleaner.prepare(log, clock.millis());
            task.clean();
            log.truncateTo(log.logEndOffset() - 1);
            assertThat(task.beginSwap()).isFalse();
            task.discard();
            task.abandon();
            assertThat(files(".cleaned")).isEmpty();
            assertThat(log.compaction().activeClean()).isNull();
        }
    }

    @Test
    void retentionWaitsWhileACleanIsInProgress() throws Exception {
        LogConfig both = config.withCleanup(CleanupConfig.DEFAULT.withPolicy(true, true).withRetention(1, -1));
        try (PartitionLog log = PartitionLog.open(dir, both, clock)) {
            fill(log);
            clock.advance(10_000);
            LogCleaner.CleanTask task = cleaner.prepare(log, clock.millis());
            assertThat(log.planRetention(clock.millis())).isNull();
            // DeleteRecords still moves the log start at once; the segments wait.
            int segments = log.segmentCount();
            PartitionLog.SegmentDeletion deferred = log.advanceLogStartOffsetDeferred(50);
            assertThat(log.logStartOffset()).isEqualTo(50);
            assertThat(deferred.segments()).isZero();
            assertThat(log.segmentCount()).isEqualTo(segments);
            task.clean();
            assertThat(task.beginSwap()).isTrue();
            task.commit();
            task.finishSwap();
            task.cleanup();
            task.closeReplaced();
            PartitionLog.SegmentDeletion deletion = log.planRetention(clock.millis());
            assertThat(deletion).isNotNull();
            deletion.run();
            assertThat(log.logStartOffset()).isEqualTo(log.logEndOffset());
        }
    }

    private List<Path> files(String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
        }
    }
}
