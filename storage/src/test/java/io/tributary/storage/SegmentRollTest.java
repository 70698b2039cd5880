package io.tributary.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.tributary.storage.LogTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

class SegmentRollTest {
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(T0);

    @Test
    void rollsWhenTheSegmentWouldExceedSegmentBytes() throws Exception {
        int batchSize = batch(T0, 1, 100).remaining();
        try (PartitionLog log = PartitionLog.open(dir, LogConfig.DEFAULT.withSegmentBytes(batchSize * 3), clock)) {
            for (int i = 0; i < 7; i++) log.append(batch(T0, 1, 100), 0);
            assertThat(log.segmentCount()).isEqualTo(3);
            assertThat(log.sizeInBytes()).isEqualTo(7L * batchSize);
        }
        assertThat(files(".log")).containsExactly("00000000000000000000.log", "00000000000000000003.log",
                "00000000000000000006.log");
        assertThat(Files.size(dir.resolve("00000000000000000000.log"))).isEqualTo(batchSize * 3L);
        assertThat(files(".index")).hasSize(3);
        assertThat(files(".timeindex")).hasSize(3);
    }

    @Test
    void aBatchLargerThanSegmentBytesGetsASegmentOfItsOwn() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, LogConfig.DEFAULT.withSegmentBytes(200), clock)) {
            log.append(batch(T0, 1, 10), 0);
            log.append(batch(T0, 5, 100), 0);
            log.append(batch(T0, 1, 10), 0);
            assertThat(log.segmentCount()).isEqualTo(3);
            assertThat(log.read(1, 100, true).sizeInBytes()).isGreaterThan(200);
        }
    }

    @Test
    void rollsWhenTheFirstBatchIsOlderThanSegmentMs() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, LogConfig.DEFAULT.withSegmentMs(60_000), clock)) {
            log.append(batch(clock.millis(), 1), 0);
            clock.advance(30_000);
            log.append(batch(clock.millis(), 1), 0);
            assertThat(log.segmentCount()).isEqualTo(1);
            clock.advance(30_001);
            log.append(batch(clock.millis(), 1), 0);
            assertThat(log.segmentCount()).isEqualTo(2);
            clock.advance(59_000);
            log.append(batch(clock.millis(), 1), 0);
            assertThat(log.segmentCount()).isEqualTo(2);
        }
    }

    @Test
    void batchesWithoutTimestampsRollBySegmentAge() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, LogConfig.DEFAULT.withSegmentMs(1_000), clock)) {
            log.append(batch(-1L, 1), 0);
            clock.advance(1_001);
            log.append(batch(-1L, 1), 0);
            assertThat(log.segmentCount()).isEqualTo(2);
        }
    }

    @Test
    void offsetLookupsWorkAcrossManySegments() throws Exception {
        LogConfig config = smallConfig().withSegmentBytes(2048).withIndexIntervalBytes(300);
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            for (int i = 0; i < 300; i++) log.append(batch(T0, 1 + i % 3, 20), 0);
            assertThat(log.segmentCount()).isGreaterThan(10);
            checkEveryOffset(log);
        }
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) { // sealed, memory-mapped indexes
            assertThat(log.loadResult().segmentsScanned()).isZero();
            checkEveryOffset(log);
        }
    }

    @Test
    void aReadStaysWithinOneSegment() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, LogConfig.DEFAULT.withSegmentBytes(1000), clock)) {
            for (int i = 0; i < 40; i++) log.append(batch(T0, 1), 0);
            assertThat(log.segmentCount()).isGreaterThan(2);
            ReadResult read = log.read(0, 1 << 20, false);
            assertThat(read.sizeInBytes()).isLessThanOrEqualTo(1000);
            long last = kafkaBatches(read.records()).get(kafkaBatches(read.records()).size() - 1).lastOffset();
            ReadResult next = log.read(last + 1, 1 << 20, false);
            assertThat(next.channel()).isNotSameAs(read.channel());
            assertThat(next.position()).isZero();
        }
    }

    private static void checkEveryOffset(PartitionLog log) throws LogException {
        for (long offset = 0; offset < log.logEndOffset(); offset++) {
            RecordBatchView first = RecordBatchView.wrap(log.read(offset, 1, true).records());
            assertThat(first.baseOffset()).isLessThanOrEqualTo(offset);
            assertThat(first.lastOffset()).isGreaterThanOrEqualTo(offset);
        }
    }

    private List<String> files(String suffix) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
        }
    }
}
