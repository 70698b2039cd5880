package io.tributary.storage;

import io.tributary.storage.KeyedRecords.Rec;
import org.apache.kafka.common.compress.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.tributary.storage.LogTestSupport.MutableClock;
import static io.tributary.storage.LogTestSupport.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompactionTest {
    static final long DELETE_RETENTION_MS = 1_000;

    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(T0);
    LogConfig config = LogConfig.DEFAULT.withSegmentBytes(2048).withIndexIntervalBytes(0)
            .withCleanup(CleanupConfig.compacted().withDeleteRetentionMs(DELETE_RETENTION_MS));
    LogCleaner cleaner = new LogCleaner(TestRecordCodec.INSTANCE, Throttler.unlimited(), 1 << 20, 4096);

    /** Appends unique-key fillers until every record so far sits in a sealed segment. */
    static void sealEverything(PartitionLog log, long now) throws LogException {
        long mark = log.logEndOffset();
        int i = 0;
        while (log.activeSegmentBaseOffset() < mark) {
            log.append(KeyedRecords.batch(now, "filler-" + mark + "-" + i++, "f"), 0);
        }
    }

    /** Key -> the record with its newest value, over records below {@code end}. */
    static Map<String, Rec> newest(List<Rec> records, long end) {
        Map<String, Rec> latest = new LinkedHashMap<>();
        for (Rec r : records) {
            if (r.offset() < end && r.key() != null) latest.put(r.key(), r);
        }
        return latest;
    }

    /** Writes {@code keys} keys {@code updates} times each, five records a batch; the last update of the first
     *  {@code tombstoned} keys is a tombstone. Returns what was written, in order. */
    static List<Rec> writeUpdates(PartitionLog log, int keys, int updates, int tombstoned, long timestamp,
                                  Compression compression) throws LogException {
        List<Rec> written = new ArrayList<>();
        List<String> ks = new ArrayList<>();
        List<String> vs = new ArrayList<>();
        for (int u = 0; u < updates; u++) {
            for (int k = 0; k < keys; k++) {
                boolean tombstone = u == updates - 1 && k < tombstoned;
                ks.add("key-" + k);
                vs.add(tombstone ? null : "v" + u + "-of-" + k);
                if (ks.size() == 5) {
                    flush(log, ks, vs, written, timestamp, compression);
                }
            }
        }
        if (!ks.isEmpty()) flush(log, ks, vs, written, timestamp, compression);
        return written;
    }

    private static void flush(PartitionLog log, List<String> ks, List<String> vs, List<Rec> written, long ts,
                              Compression compression) throws LogException {
        AppendResult r = log.append(KeyedRecords.batch(compression, ts, ks.toArray(String[]::new),
                vs.toArray(String[]::new)), 0);
        for (int i = 0; i < ks.size(); i++) written.add(new Rec(r.baseOffset() + i, ks.get(i), vs.get(i)));
        ks.clear();
        vs.clear();
    }

    @Test
    void keepsTheNewestRecordOfEveryKeyAtItsOffsetThenDropsExpiredTombstones() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            List<Rec> written = writeUpdates(log, 30, 10, 5, T0, Compression.NONE);
            long end = log.logEndOffset();
            sealEverything(log, T0);
            long logEnd = log.logEndOffset();
            long bytesBefore = log.sizeInBytes();
            Map<String, Rec> expected = newest(written, end);

            LogCleaner.Cleanability before = LogCleaner.cleanability(log, clock.millis());
            assertThat(before.dirtyRatio()).isEqualTo(1.0);
            assertThat(before.worthCleaning(0.5)).isTrue();

            LogCleaner.CleanStats stats = cleaner.cleanNow(log, clock.millis());
            assertThat(stats).isNotNull();
            assertThat(stats.recordsRetained()).isLessThan(stats.recordsRead());

            List<Rec> after = KeyedRecords.records(log);
            List<Rec> compacted = after.stream().filter(r -> r.offset() < end).toList();
            // Exactly one record per key, the newest, still at its original offset; tombstones kept for now.
            assertThat(compacted).containsExactlyElementsOf(expected.values().stream()
                    .sorted((a, b) -> Long.compare(a.offset(), b.offset())).toList());
            assertThat(compacted.stream().filter(r -> r.value() == null)).hasSize(5);
            assertThat(log.logEndOffset()).isEqualTo(logEnd);
            assertThat(log.logStartOffset()).isZero();
            assertThat(log.sizeInBytes()).isLessThan(bytesBefore);
            assertThat(LogCleaner.cleanability(log, clock.millis()).dirtyBytes()).isZero();
            assertThat(leftovers()).isEmpty();

            // Before the delete horizon nothing is worth cleaning; after it, the tombstones go.
            assertThat(LogCleaner.cleanability(log, clock.millis()).worthCleaning(0.5)).isFalse();
            clock.advance(DELETE_RETENTION_MS + 1);
            assertThat(LogCleaner.cleanability(log, clock.millis()).mustClean()).isTrue();
            assertThat(cleaner.cleanNow(log, clock.millis())).isNotNull();
            List<Rec> noTombstones = KeyedRecords.records(log).stream().filter(r -> r.offset() < end).toList();
            assertThat(noTombstones).hasSize(25).allMatch(r -> r.value() != null)
                    .containsExactlyElementsOf(expected.values().stream().filter(r -> r.value() != null)
                            .sorted((a, b) -> Long.compare(a.offset(), b.offset())).toList());
            assertThat(log.logEndOffset()).isEqualTo(logEnd);
        }
        // The result survives a clean restart and a crash restart alike.
        List<Rec> expectedAfter;
        try (PartitionLog reopened = PartitionLog.open(dir, config, clock)) {
            expectedAfter = KeyedRecords.records(reopened);
            assertThat(reopened.loadResult().cleanShutdown()).isTrue();
            reopened.closeUncleanly();
        }
        try (PartitionLog crashed = PartitionLog.open(dir, config, clock)) {
            assertThat(KeyedRecords.records(crashed)).isEqualTo(expectedAfter);
            assertThat(crashed.loadResult().bytesTruncated()).isZero();
        }
    }

    @Test
    void compressedBatchesStayCompressedAndCompactCorrectly() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            List<Rec> written = writeUpdates(log, 12, 8, 2, T0, Compression.zstd().build());
            long end = log.logEndOffset();
            sealEverything(log, T0);
            cleaner.cleanNow(log, clock.millis());
            List<Rec> compacted = KeyedRecords.records(log).stream().filter(r -> r.offset() < end).toList();
            assertThat(compacted).containsExactlyElementsOf(newest(written, end).values().stream()
                    .sorted((a, b) -> Long.compare(a.offset(), b.offset())).toList());
            List<RecordBatchView> batches = new ArrayList<>();
            log.batchesFrom(0).forEach(batches::add);
            assertThat(batches.stream().filter(b -> b.baseOffset() < end))
                    .isNotEmpty().allMatch(b -> b.compressionCodecId() == 4 && b.isValid());
        }
    }

    @Test
    void recordsWithinMinCompactionLagAreLeftAlone() throws Exception {
        LogConfig lagged = config.withCleanup(config.cleanup().withCompactionLag(60_000, Long.MAX_VALUE));
        clock.advance(120_000);
        try (PartitionLog log = PartitionLog.open(dir, lagged, clock)) {
            List<Rec> old = writeUpdates(log, 10, 6, 0, T0, Compression.NONE);
            long oldEnd = log.logEndOffset();
            sealEverything(log, T0);
            long recentStart = log.logEndOffset();
            writeUpdates(log, 10, 6, 0, clock.millis(), Compression.NONE);
            sealEverything(log, clock.millis());

            cleaner.cleanNow(log, clock.millis());
            List<Rec> after = KeyedRecords.records(log);
            assertThat(after.stream().filter(r -> r.offset() < oldEnd).toList())
                    .containsExactlyElementsOf(newest(old, oldEnd).values().stream()
                            .sorted((a, b) -> Long.compare(a.offset(), b.offset())).toList());
            // The recent updates (younger than the lag) are all still there.
            assertThat(after.stream().filter(r -> r.offset() >= recentStart && r.key().startsWith("key-"))).hasSize(60);
        }
    }

    @Test
    void theLastBatchOfAnIdempotentProducerSurvivesEvenEmptySoItsRetryIsStillADuplicate() throws Exception {
        long pid = 42;
        AppendResult last;
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            AppendResult first = log.append(KeyedRecords.idempotentBatch(Compression.NONE, pid, (short) 0, 0, T0,
                    new String[]{"k"}, new String[]{"p0"}), 0);
            last = log.append(KeyedRecords.idempotentBatch(Compression.NONE, pid, (short) 0, 1, T0,
                    new String[]{"k"}, new String[]{"p1"}), 0);
            log.append(KeyedRecords.batch(T0, "k", "newer"), 0);
            sealEverything(log, T0);
            cleaner.cleanNow(log, clock.millis());

            List<RecordBatchView> producerBatches = new ArrayList<>();
            log.batchesFrom(0).forEach(b -> {
                if (b.producerId() == pid) producerBatches.add(b);
            });
            assertThat(producerBatches).hasSize(1);
            assertThat(producerBatches.get(0).recordCount()).isZero();
            assertThat(producerBatches.get(0).lastOffset()).isEqualTo(last.lastOffset());
            assertThat(producerBatches.get(0).baseSequence()).isEqualTo(1);
            assertThat(KeyedRecords.records(log).stream().filter(r -> "k".equals(r.key())))
                    .extracting(Rec::value).containsExactly("newer");
            assertThat(first.baseOffset()).isLessThan(last.baseOffset());
        }
        PartitionLog reopened = PartitionLog.open(dir, config, clock);
        reopened.closeUncleanly();
        Files.deleteIfExists(dir.resolve(LogFiles.CHECKPOINT)); // replay every batch, snapshots aside
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            AppendResult retry = log.append(KeyedRecords.idempotentBatch(Compression.NONE, pid, (short) 0, 1, T0,
                    new String[]{"k"}, new String[]{"p1"}), 0);
            assertThat(retry.duplicate()).isTrue();
            assertThat(retry.baseOffset()).isEqualTo(last.baseOffset());
        }
    }

    @Test
    void recordsWithoutKeyAreDropped() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            log.append(KeyedRecords.batch(Compression.NONE, T0, new String[]{null, "a", null},
                    new String[]{"x", "1", "y"}), 0);
            sealEverything(log, T0);
            cleaner.cleanNow(log, clock.millis());
            assertThat(KeyedRecords.records(log).stream().filter(r -> r.offset() < 3))
                    .containsExactly(new Rec(1, "a", "1"));
        }
    }

    @Test
    void theCleanerRespectsItsIoRate() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            writeUpdates(log, 40, 10, 0, T0, Compression.NONE);
            sealEverything(log, T0);
            // Reading the log and writing it back is more than one second's worth at this rate.
            Throttler slow = new Throttler(log.sizeInBytes() * 3 / 4.0);
            LogCleaner throttled = new LogCleaner(TestRecordCodec.INSTANCE, slow, 1 << 20, 4096);
            throttled.cleanNow(log, clock.millis());
            assertThat(slow.throttledNanos()).isPositive();
        }
    }

    @Test
    void nothingIsCleanedOnALogWithoutCompactionOrWithoutSealedSegments() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config.withCleanup(CleanupConfig.DEFAULT), clock)) {
            writeUpdates(log, 5, 5, 0, T0, Compression.NONE);
            sealEverything(log, T0);
            assertThat(LogCleaner.cleanability(log, clock.millis())).isNull();
            assertThat(cleaner.cleanNow(log, clock.millis())).isNull();
        }
        Path other = dir.resolve("other");
        try (PartitionLog log = PartitionLog.open(other, config, clock)) {
            log.append(KeyedRecords.batch(T0, "a", "1"), 0);
            log.append(KeyedRecords.batch(T0, "a", "2"), 0);
            assertThat(cleaner.cleanNow(log, clock.millis())).isNull();
            assertThat(KeyedRecords.records(log)).hasSize(2);
        }
    }

    @Test
    void cleaningAgainAfterMoreUpdatesOnlyKeepsTheNewest() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            Map<String, Rec> expected = new HashMap<>();
            for (int round = 0; round < 3; round++) {
                List<Rec> written = writeUpdates(log, 15, 4, 0, T0, Compression.NONE);
                written.forEach(r -> expected.put(r.key(), r));
                sealEverything(log, T0);
                cleaner.cleanNow(log, clock.millis());
            }
            Map<String, Rec> found = new HashMap<>();
            for (Rec r : KeyedRecords.records(log)) {
                if (r.key().startsWith("key-")) {
                    assertThat(found.put(r.key(), r)).as("second record for %s", r.key()).isNull();
                }
            }
            assertThat(found).isEqualTo(expected);
        }
    }

    @Test
    void aSmallKeyMapCleansInSeveralPassesAndRefusesASegmentItCannotHold() throws Exception {
        // Room for about 30 keys: one segment of the dirty part at a time.
        LogCleaner small = new LogCleaner(TestRecordCodec.INSTANCE, Throttler.unlimited(), 34 * OffsetMap.BYTES_PER_ENTRY,
                4096);
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            List<Rec> written = writeUpdates(log, 12, 8, 0, T0, Compression.NONE);
            long end = log.logEndOffset();
            sealEverything(log, T0);
            int passes = 0;
            while (LogCleaner.cleanability(log, clock.millis()).dirtyBytes() > 0 && passes < 50) {
                assertThat(small.cleanNow(log, clock.millis())).isNotNull();
                passes++;
            }
            assertThat(passes).isGreaterThan(1);
            assertThat(KeyedRecords.records(log).stream().filter(r -> r.offset() < end).toList())
                    .containsExactlyElementsOf(newest(written, end).values().stream()
                            .sorted((a, b) -> Long.compare(a.offset(), b.offset())).toList());
        }
        Path other = dir.resolve("wide");
        LogCleaner tiny = new LogCleaner(TestRecordCodec.INSTANCE, Throttler.unlimited(), 5 * OffsetMap.BYTES_PER_ENTRY, 4096);
        try (PartitionLog log = PartitionLog.open(other, config, clock)) {
            List<Rec> written = writeUpdates(log, 20, 1, 0, T0, Compression.NONE);
            sealEverything(log, T0);
            assertThatThrownBy(() -> tiny.cleanNow(log, clock.millis())).isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("log.cleaner.dedupe.buffer.size");
            assertThat(log.compaction().activeClean()).isNull();
            assertThat(KeyedRecords.records(log).subList(0, written.size())).isEqualTo(written);
        }
    }

    private List<Path> leftovers() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".cleaned") || p.getFileName().toString().equals(SwapIntent.FILE))
                    .toList();
        }
    }
}
