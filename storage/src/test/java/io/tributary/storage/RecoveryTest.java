package io.tributary.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import static io.tributary.storage.LogTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

class RecoveryTest {
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(T0);
    LogConfig config = smallConfig();

    /** Writes {@code batches} one-record batches, then lets go of the files as a crash would. */
    private List<RecordBatchView> crashAfter(int batches) throws Exception {
        PartitionLog log = PartitionLog.open(dir, config, clock);
        appendBatches(log, batches, T0);
        List<RecordBatchView> written = allBatches(log);
        log.closeUncleanly();
        return written;
    }

    private Path lastSegment() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".log")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    private static void edit(Path file, long position, byte[] bytes) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), position);
        }
    }

    private static void assertIntact(PartitionLog log, long expectedEnd) {
        assertThat(log.logEndOffset()).isEqualTo(expectedEnd);
        List<RecordBatchView> batches = allBatches(log);
        assertThat(batches).hasSize((int) expectedEnd).allMatch(RecordBatchView::isValid);
        for (int i = 0; i < batches.size(); i++) assertThat(batches.get(i).baseOffset()).isEqualTo(i);
    }

    @Test
    void cleanRestartKeepsEveryOffsetAndSkipsTheScan() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            appendBatches(log, 150, T0);
            assertThat(log.segmentCount()).isGreaterThan(2);
        }
        assertThat(dir.resolve(".clean-shutdown")).exists();
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            assertThat(log.loadResult().cleanShutdown()).isTrue();
            assertThat(log.loadResult().segmentsScanned()).isZero();
            assertThat(log.recoveryPoint()).isEqualTo(150);
            assertIntact(log, 150);
            assertThat(log.append(batch(T0, 1), 0).baseOffset()).isEqualTo(150);
        }
    }

    @Test
    void crashWithoutCloseKeepsTheData() throws Exception {
        crashAfter(120);
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            assertThat(log.loadResult().cleanShutdown()).isFalse();
            assertThat(log.loadResult().segmentsScanned()).isEqualTo(log.segmentCount());
            assertThat(log.loadResult().bytesTruncated()).isZero();
            assertIntact(log, 120);
            assertThat(log.append(batch(T0, 1), 0).baseOffset()).isEqualTo(120);
        }
    }

    @Test
    void truncatedTailIsCut() throws Exception {
        List<RecordBatchView> written = crashAfter(30);
        Path last = lastSegment();
        long size = Files.size(last);
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.truncate(size - written.get(29).sizeInBytes() / 2); // torn write: half of the last batch
        }
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            assertIntact(log, 29);
            assertThat(log.loadResult().bytesTruncated()).isEqualTo(written.get(29).sizeInBytes() - written.get(29).sizeInBytes() / 2);
            assertThat(log.append(batch(T0, 1), 0).baseOffset()).isEqualTo(29);
        }
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            assertIntact(log, 30);
        }
    }

    @Test
    void corruptedLastBatchIsCut() throws Exception {
        List<RecordBatchView> written = crashAfter(30);
        Path last = lastSegment();
        long size = Files.size(last);
        edit(last, size - 3, new byte[]{(byte) 0xEE}); // flip a payload byte of the last batch
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            assertIntact(log, 29);
            assertThat(log.loadResult().bytesTruncated()).isEqualTo(written.get(29).sizeInBytes());
        }
    }

    @Test
    void garbageAfterTheLastBatchIsCut() throws Exception {
        crashAfter(20);
        Path last = lastSegment();
        long size = Files.size(last);
        byte[] garbage = new byte[300];
        for (int i = 0; i < garbage.length; i++) garbage[i] = (byte) (i * 31 + 7);
        edit(last, size, garbage);
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            assertIntact(log, 20);
            assertThat(Files.size(last)).isEqualTo(size);
        }
    }

    @Test
    void zeroFilledTailIsCut() throws Exception {
        crashAfter(20);
        Path last = lastSegment();
        long size = Files.size(last);
        edit(last, size, new byte[4096]); // preallocated-looking tail
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            assertIntact(log, 20);
        }
    }

    @Test
    void corruptionInAnEarlierSegmentDropsTheLaterSegments() throws Exception {
        List<RecordBatchView> written = crashAfter(200);
        Path second;
        int segments;
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> logs = s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
            segments = logs.size();
            second = logs.get(1);
        }
        assertThat(segments).isGreaterThan(3);
        long secondBase = Long.parseLong(second.getFileName().toString().substring(0, 20));
        // Corrupt the third batch of the second segment.
        long position = written.get((int) secondBase).sizeInBytes() + written.get((int) secondBase + 1).sizeInBytes();
        edit(second, position + 70, new byte[]{0x11, 0x22});
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            assertThat(log.segmentCount()).isEqualTo(2);
            assertThat(log.loadResult().segmentsDeleted()).isEqualTo(segments - 2);
            assertIntact(log, secondBase + 2);
            assertThat(log.append(batch(T0, 1), 0).baseOffset()).isEqualTo(secondBase + 2);
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.filter(p -> p.toString().endsWith(".log")).count()).isEqualTo(2);
        }
    }

    @Test
    void corruptFirstBatchOfALaterSegmentRemovesThatSegment() throws Exception {
        crashAfter(120);
        Path last = lastSegment();
        long lastBase = Long.parseLong(last.getFileName().toString().substring(0, 20));
        edit(last, 16, new byte[]{1}); // magic v1 in the first batch
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            assertIntact(log, lastBase);
            assertThat(last).doesNotExist();
            assertThat(log.append(batch(T0, 1), 0).baseOffset()).isEqualTo(lastBase);
        }
    }

    @Test
    void scanStartsAtTheRecoveryPoint() throws Exception {
        PartitionLog log = PartitionLog.open(dir, config, clock);
        appendBatches(log, 200, T0);
        log.flush();
        int flushedSegments = log.segmentCount();
        appendBatches(log, 5, T0);
        log.closeUncleanly();
        try (PartitionLog reopened = PartitionLog.open(dir, config, clock)) {
            assertThat(reopened.loadResult().segmentsScanned()).isEqualTo(reopened.segmentCount() - flushedSegments + 1);
            assertThat(reopened.recoveryPoint()).isEqualTo(200);
            assertIntact(reopened, 205);
        }
    }

    @Test
    void missingOrTornIndexesAreRebuilt() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config.withIndexIntervalBytes(100), clock)) {
            appendBatches(log, 150, T0);
        }
        Files.delete(dir.resolve("00000000000000000000.index"));
        try (FileChannel ch = FileChannel.open(lastSegment().resolveSibling(
                lastSegment().getFileName().toString().replace(".log", ".timeindex")), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[5]), ch.size()); // partial entry
        }
        try (PartitionLog log = PartitionLog.open(dir, config.withIndexIntervalBytes(100), clock)) {
            assertThat(log.loadResult().segmentsScanned()).isEqualTo(2);
            assertIntact(log, 150);
            for (long o = 0; o < 150; o += 7) {
                assertThat(RecordBatchView.wrap(log.read(o, 1, true).records()).baseOffset()).isEqualTo(o);
            }
        }
        assertThat(dir.resolve("00000000000000000000.index")).exists();
    }

    @Test
    void strayFilesAreRemoved() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            appendBatches(log, 10, T0);
        }
        for (String name : List.of("00000000000000000000.log.deleted", "00000000000000000000.log.cleaned",
                "partition.checkpoint.tmp", "00000000000000000500.index", "00000000000000000500.timeindex")) {
            Files.write(dir.resolve(name), new byte[]{1, 2, 3});
        }
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            assertIntact(log, 10);
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.endsWith(".deleted") || n.endsWith(".cleaned") || n.endsWith(".tmp") || n.contains("500"));
        }
    }

    @Test
    void checkpointRecordsPositionsAtomically() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            appendBatches(log, 10, T0);
            log.flush();
        }
        assertThat(Checkpoint.read(dir)).contains(new Checkpoint(0, 10));
        Files.writeString(dir.resolve("partition.checkpoint"), "not a checkpoint");
        assertThat(Checkpoint.read(dir)).isEmpty();
    }
}
