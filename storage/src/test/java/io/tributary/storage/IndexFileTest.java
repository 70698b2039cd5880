package io.tributary.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IndexFileTest {
    @TempDir
    Path dir;

    @Test
    void offsetIndexLooksUpTruncatesAndSurvivesSealing() throws Exception {
        OffsetIndex index = new OffsetIndex(dir.resolve("00000000000000000100.index"), 100);
        index.reset();
        for (int i = 0; i < 500; i++) index.append(100 + 10L * i + 9, 1000 * i); // batch i holds 100+10i .. +9
        assertThat(Files.size(index.path())).isEqualTo(500L * OffsetIndex.ENTRY_SIZE);
        assertThat(index.lookupPosition(50)).isZero();
        assertThat(index.lookupPosition(108)).isZero();
        assertThat(index.lookupPosition(109)).isZero();
        assertThat(index.lookupPosition(119)).isEqualTo(1000);
        assertThat(index.lookupPosition(5_000_000)).isEqualTo(499_000);
        assertThatThrownBy(() -> index.append(109, 7)).isInstanceOf(IllegalStateException.class);

        index.seal();
        assertThat(index.lookupPosition(2345)).isEqualTo(223_000);
        index.truncateToOffset(2345); // drops entries for offsets >= 2345, i.e. from 2349 on
        assertThat(index.entries()).isEqualTo(224);
        assertThat(Files.size(index.path())).isEqualTo(224L * OffsetIndex.ENTRY_SIZE);
        index.flush();
        index.close();

        OffsetIndex reloaded = new OffsetIndex(index.path(), 100);
        assertThat(reloaded.load(true)).isTrue();
        assertThat(reloaded.isSane(224_000, Long.MAX_VALUE)).isTrue();
        assertThat(reloaded.isSane(223_000, Long.MAX_VALUE)).isFalse(); // points past the end of the log
        assertThat(reloaded.lookupPosition(2339)).isEqualTo(223_000);
        reloaded.close();
    }

    @Test
    void tornIndexIsReportedForRebuild() throws Exception {
        Path file = dir.resolve("00000000000000000000.index");
        Files.write(file, new byte[13]);
        OffsetIndex index = new OffsetIndex(file, 0);
        assertThat(index.load(false)).isFalse();
        assertThat(index.entries()).isZero();
        assertThat(Files.size(file)).isZero();
        index.close();
    }

    @Test
    void timeIndexKeepsOnlyGrowingTimestamps() throws Exception {
        TimeIndex index = new TimeIndex(dir.resolve("00000000000000000000.timeindex"), 0);
        index.reset();
        index.maybeAppend(-1, 0);   // no timestamp: ignored
        index.maybeAppend(100, 4);
        index.maybeAppend(100, 9);  // not larger: ignored
        index.maybeAppend(90, 12);  // older: ignored
        index.maybeAppend(150, 20);
        index.maybeAppend(300, 41);
        assertThat(index.entries()).isEqualTo(3);
        assertThat(index.floorEntry(99)).isEqualTo(-1);
        assertThat(index.floorEntry(100)).isZero();
        assertThat(index.floorEntry(299)).isEqualTo(1);
        assertThat(index.offset(2)).isEqualTo(41);
        assertThat(index.lastTimestamp()).isEqualTo(300);
        index.truncateToOffset(41);
        assertThat(index.lastOffset()).isEqualTo(20);
        assertThat(index.isSane(21)).isTrue();
        assertThat(index.isSane(20)).isFalse();
        index.close();
    }
}
