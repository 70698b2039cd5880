package io.tributary.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Kafka's sparse {@code .index}: entries of int32 offset relative to the segment base and int32 file position.
 * As in Kafka an entry names the last offset of the batch that starts at that position; a lookup therefore yields
 * a batch start at or before the wanted offset, and a short header scan finishes the job.
 */
final class OffsetIndex extends IndexFile {
    static final int ENTRY_SIZE = 8;
    private static final int BY_POSITION = 2;

    OffsetIndex(Path path, long baseOffset) {
        super(path, baseOffset, ENTRY_SIZE);
    }

    void append(long offset, int position) throws IOException {
        if (!isEmpty() && offset <= offset(entries() - 1)) {
            throw new IllegalStateException("offset index entries must grow: " + offset + " after " + offset(entries() - 1));
        }
        entry.putInt(0, (int) (offset - baseOffset)).putInt(4, position);
        writeEntry();
    }

    long offset(int index) {
        return baseOffset + intAt(index, 0);
    }

    int position(int index) {
        return intAt(index, 4);
    }

    @Override
    protected long key(int index, int kind) {
        return kind == BY_POSITION ? position(index) : offset(index);
    }

    /** The largest indexed batch start at or before {@code position}, or 0. Positions grow with offsets. */
    int floorPosition(long position) {
        int i = upperBound(position, BY_POSITION) - 1;
        return i < 0 ? 0 : position(i);
    }

    /** Index of the last entry with offset <= target, or -1. */
    int floorEntry(long targetOffset) {
        return upperBound(targetOffset, BY_OFFSET) - 1;
    }

    /** File position from which a forward scan reaches the batch holding {@code targetOffset}. */
    int lookupPosition(long targetOffset) {
        int i = floorEntry(targetOffset);
        return i < 0 ? 0 : position(i);
    }

    /** Drops the entries for offsets >= {@code offset}. */
    void truncateToOffset(long offset) throws IOException {
        truncateToEntries(upperBound(offset - 1, BY_OFFSET));
    }

    /** Cheap checks like Kafka's sanityCheck: entries ordered at both ends and pointing inside the log. */
    boolean isSane(int logSize, long maxOffsetExclusive) {
        if (isEmpty()) return true;
        int last = entries() - 1;
        return intAt(0, 0) >= 0 && position(0) >= 0
                && offset(last) >= offset(0) && position(last) >= position(0)
                && position(last) < logSize && offset(last) < maxOffsetExclusive;
    }
}
