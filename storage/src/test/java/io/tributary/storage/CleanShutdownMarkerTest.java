package io.tributary.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.tributary.storage.LogTestSupport.MutableClock;
import static io.tributary.storage.LogTestSupport.T0;
import static io.tributary.storage.LogTestSupport.appendBatches;
import static org.assertj.core.api.Assertions.assertThat;

/** The clean-shutdown marker is trusted only while the log still looks as it did when the marker was written. */
class CleanShutdownMarkerTest {
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(T0);
    LogConfig config = LogTestSupport.smallConfig();

    @Test
    void aMarkerThatCameBackAfterAPowerCutIsNotTrusted() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            appendBatches(log, 50, T0);
        }
        Path marker = dir.resolve(LogFiles.CLEAN_SHUTDOWN);
        String vouched = Files.readString(marker);
        PartitionLog log = PartitionLog.open(dir, config, clock);
        assertThat(log.loadResult().cleanShutdown()).isTrue();
        appendBatches(log, 10, T0);
        log.closeUncleanly();
        // The removal of the marker was lost (it was not fsynced) but the appends were not.
        Files.writeString(marker, vouched);
        try (PartitionLog reopened = PartitionLog.open(dir, config, clock)) {
            assertThat(reopened.loadResult().cleanShutdown()).isFalse();
            assertThat(reopened.loadResult().segmentsScanned()).isPositive();
            assertThat(reopened.logEndOffset()).isEqualTo(60);
        }
    }

    @Test
    void theMarkerStaysAfterAStartAndStopsVouchingOnceTheLogChanges() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            appendBatches(log, 30, T0);
        }
        PartitionLog idle = PartitionLog.open(dir, config, clock);
        idle.closeUncleanly();
        // Nothing changed since the clean close: the marker still vouches for the log.
        PartitionLog again = PartitionLog.open(dir, config, clock);
        assertThat(again.loadResult().cleanShutdown()).isTrue();
        appendBatches(again, 1, T0);
        again.closeUncleanly();
        try (PartitionLog appended = PartitionLog.open(dir, config, clock)) {
            assertThat(appended.loadResult().cleanShutdown()).isFalse();
            assertThat(appended.logEndOffset()).isEqualTo(31);
            // A truncation removes the marker outright.
            appended.truncateTo(29);
        }
        PartitionLog reopened = PartitionLog.open(dir, config, clock);
        assertThat(reopened.loadResult().cleanShutdown()).isTrue();
        reopened.truncateTo(20);
        assertThat(dir.resolve(LogFiles.CLEAN_SHUTDOWN)).doesNotExist();
        reopened.closeUncleanly();
    }

    @Test
    void anEmptyOrUnreadableMarkerVouchesForNothing() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, config, clock)) {
            appendBatches(log, 20, T0);
        }
        Files.writeString(dir.resolve(LogFiles.CLEAN_SHUTDOWN), "");
        try (PartitionLog reopened = PartitionLog.open(dir, config, clock)) {
            assertThat(reopened.loadResult().cleanShutdown()).isFalse();
            assertThat(reopened.logEndOffset()).isEqualTo(20);
        }
        try (PartitionLog again = PartitionLog.open(dir, config, clock)) {
            assertThat(again.loadResult().cleanShutdown()).isTrue();
        }
    }
}
