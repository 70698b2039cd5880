package io.tributary.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

import static io.tributary.storage.BatchLayout.MAGIC_V2;

/**
 * Re-reads one segment after an unclean stop (or to rebuild lost indexes): every batch must have a sane length,
 * magic 2, a valid CRC and offsets that follow the previous batch. Indexes are rebuilt from the good batches and the
 * file is cut at the first bad one, which is where a torn or partial write would leave garbage.
 */
final class SegmentRecovery {
    /** What a scan found: the next offset after the good batches, and why it stopped early (null if it did not). */
    record Outcome(long nextOffset, int validBytes, int truncatedBytes, String problem) {
        boolean truncated() {
            return problem != null;
        }
    }

    private final BatchScanner scanner;
    private final CRC32C crc = new CRC32C();

    SegmentRecovery(int bufferBytes) {
        this.scanner = new BatchScanner(bufferBytes, false);
    }

    BatchScanner scanner() {
        return scanner;
    }

    /**
     * @param expectedOffset the lowest offset the first batch may have (the previous segment's end, or the base)
     */
    Outcome recover(LogSegment segment, long expectedOffset) throws IOException {
        segment.resetIndexes();
        long next = Math.max(expectedOffset, segment.baseOffset());
        long validEnd = 0;
        String problem = null;
        scanner.reset(segment.channel(), 0, segment.size());
        while (scanner.next(true)) {
            problem = check(scanner, segment.baseOffset(), next);
            if (problem != null) break;
            long lastOffset = scanner.lastOffset();
            segment.indexRecoveredBatch((int) scanner.position(), scanner.size(), lastOffset, scanner.maxTimestamp());
            next = lastOffset + 1;
            validEnd = scanner.position() + scanner.size();
        }
        if (problem == null) problem = scanner.stopReason();
        int truncated = segment.size() - (int) validEnd;
        if (problem != null) segment.truncateToBytes((int) validEnd);
        return new Outcome(next, (int) validEnd, truncated, problem);
    }

    private String check(BatchScanner s, long segmentBase, long expectedOffset) {
        ByteBuffer b = s.buffer();
        int at = s.offset();
        long position = s.position();
        byte magic = BatchLayout.magic(b, at);
        if (magic != MAGIC_V2) return "batch at byte " + position + " has magic v" + magic + ", not v2";
        long stored = BatchLayout.storedCrc(b, at);
        long computed = BatchLayout.computeCrc(crc, b, at, s.size());
        if (stored != computed) {
            return String.format("batch at byte %d fails its CRC check (stored %08x, computed %08x)", position, stored, computed);
        }
        long base = BatchLayout.baseOffset(b, at);
        int delta = BatchLayout.lastOffsetDelta(b, at);
        if (base < expectedOffset) {
            return "batch at byte " + position + " has base offset " + base + ", below the expected " + expectedOffset;
        }
        if (delta < 0 || base + delta - segmentBase > Integer.MAX_VALUE) {
            return "batch at byte " + position + " has offsets " + base + ".." + (base + delta)
                    + " that do not fit a segment based at " + segmentBase;
        }
        return null;
    }
}
