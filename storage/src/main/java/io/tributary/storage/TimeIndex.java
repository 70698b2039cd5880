package io.tributary.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Kafka's sparse {@code .timeindex}: entries of int64 timestamp and int32 relative offset. An entry (t, o) says
 * the largest timestamp in the segment up to offset o is t, and o is the last offset of the first batch that
 * reached it. Timestamps only grow, so a binary search finds where a timestamp query must start scanning.
 */
final class TimeIndex extends IndexFile {
    static final int ENTRY_SIZE = 12;

    TimeIndex(Path path, long baseOffset) {
        super(path, baseOffset, ENTRY_SIZE);
    }

    /** Appends (timestamp, offset) if the timestamp is larger than the last entry's. */
    void maybeAppend(long timestamp, long offset) throws IOException {
        if (timestamp < 0) return;
        if (!isEmpty()) {
            int last = entries() - 1;
            if (timestamp <= timestamp(last) || offset < offset(last)) return;
        }
        entry.putLong(0, timestamp).putInt(8, (int) (offset - baseOffset));
        writeEntry();
    }

    long timestamp(int index) {
        return longAt(index, 0);
    }

    long offset(int index) {
        return baseOffset + intAt(index, 8);
    }

    long lastTimestamp() {
        return isEmpty() ? BatchLayout.NO_TIMESTAMP : timestamp(entries() - 1);
    }

    long lastOffset() {
        return isEmpty() ? -1 : offset(entries() - 1);
    }

    @Override
    protected long key(int index, int kind) {
        return kind == BY_TIMESTAMP ? timestamp(index) : offset(index);
    }

    /** Index of the last entry with timestamp <= target, or -1. */
    int floorEntry(long timestamp) {
        return upperBound(timestamp, BY_TIMESTAMP) - 1;
    }

    /** Drops the entries for offsets >= {@code offset}. */
    void truncateToOffset(long offset) throws IOException {
        truncateToEntries(upperBound(offset - 1, BY_OFFSET));
    }

    boolean isSane(long maxOffsetExclusive) {
        if (isEmpty()) return true;
        int last = entries() - 1;
        return intAt(0, 8) >= 0 && timestamp(last) >= timestamp(0) && offset(last) >= offset(0)
                && offset(last) < maxOffsetExclusive;
    }
}
