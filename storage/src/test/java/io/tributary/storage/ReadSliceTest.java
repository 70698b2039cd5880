package io.tributary.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;

import static io.tributary.storage.LogTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/** readSlice must bound a fetch exactly as the copying read does; the copying read is the oracle. */
class ReadSliceTest {
    @TempDir
    Path dir;

    @Test
    void slicesMatchCopiedReadsForEveryOffsetSizeAndBound() throws Exception {
        for (int indexInterval : new int[]{0, 4096}) {
            Path d = dir.resolve("i" + indexInterval);
            try (PartitionLog log = PartitionLog.open(d, LogConfig.DEFAULT.withSegmentBytes(16 * 1024)
                    .withIndexIntervalBytes(indexInterval), new MutableClock(T0))) {
                Random random = new Random(indexInterval);
                for (int i = 0; i < 60; i++) {
                    log.append(batch(T0, 1 + random.nextInt(5), 20 + random.nextInt(900)), 0);
                }
                long end = log.logEndOffset();
                for (long offset = 0; offset <= end; offset += 1) {
                    for (int maxBytes : new int[]{1, 100, 700, 1500, 5000, 1 << 20}) {
                        for (long maxOffset : new long[]{Long.MAX_VALUE, end, end - 3, offset + 2, offset}) {
                            for (boolean minOne : new boolean[]{true, false}) {
                                assertSame(log, offset, maxBytes, minOne, maxOffset);
                            }
                        }
                    }
                }
            }
        }
    }

    private static void assertSame(PartitionLog log, long offset, int maxBytes, boolean minOne, long maxOffset)
            throws Exception {
        ReadResult copied = log.read(offset, maxBytes, minOne, maxOffset);
        ReadResult slice = log.readSlice(offset, maxBytes, minOne, maxOffset);
        String what = "offset " + offset + " maxBytes " + maxBytes + " minOne " + minOne + " maxOffset " + maxOffset;
        assertThat(slice.sizeInBytes()).as(what).isEqualTo(copied.sizeInBytes());
        if (copied.sizeInBytes() == 0) return;
        assertThat(slice.isSlice()).isTrue();
        assertThat(slice.position()).as(what).isEqualTo(copied.position());
        ByteBuffer fromFile = ByteBuffer.allocate(slice.sizeInBytes());
        slice.channel().read(fromFile, slice.position());
        assertThat(fromFile.flip()).as(what).isEqualTo(copied.records());
        long records = 0;
        for (var b : kafkaBatches(copied.records())) records += b.lastOffset() - b.baseOffset() + 1;
        assertThat(slice.offsetCount()).as(what).isEqualTo(records);
    }

    @Test
    void aDeletedSegmentStaysReadableWhileASendHoldsIt() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, smallConfig(), new MutableClock(T0))) {
            for (int i = 0; i < 20; i++) log.append(batch(T0, 3, 200), 0);
            ReadResult slice = log.readSlice(0, 1 << 20, true, Long.MAX_VALUE);
            assertThat(slice.file().retain()).isTrue();
            log.advanceLogStartOffset(log.logEndOffset() - 1); // deletes the segment the slice is in
            ByteBuffer fromFile = ByteBuffer.allocate(slice.sizeInBytes());
            slice.channel().read(fromFile, slice.position());
            assertThat(kafkaBatches(fromFile.flip())).isNotEmpty().allMatch(b -> b.isValid());
            slice.file().release();
            assertThat(slice.channel().isOpen()).isFalse();
            assertThat(slice.file().retain()).isFalse();
        }
    }
}
