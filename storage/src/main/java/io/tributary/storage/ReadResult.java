package io.tributary.storage;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Whole stored record batches returned by {@link PartitionLog#read} (copied into {@link #records()}) or by
 * {@link PartitionLog#readSlice} (not copied: only where they lie, {@code [position, position + sizeInBytes)} of
 * {@link #file()}, for a zero-copy send).
 */
public final class ReadResult {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final long logStartOffset;
    private final long logEndOffset;
    /** The copied batches; null for a slice. */
    private final ByteBuffer records;
    private final SegmentFile file;
    private final long position;
    private final int size;
    /** Offsets the batches cover; for a slice, counted from the first and last batch headers. */
    private final long offsetCount;

    private ReadResult(long logStartOffset, long logEndOffset, ByteBuffer records, SegmentFile file, long position,
                       int size, long offsetCount) {
        this.logStartOffset = logStartOffset;
        this.logEndOffset = logEndOffset;
        this.records = records;
        this.file = file;
        this.position = position;
        this.size = size;
        this.offsetCount = offsetCount;
    }

    static ReadResult copied(long logStartOffset, long logEndOffset, ByteBuffer records, SegmentFile file,
                             long position) {
        return new ReadResult(logStartOffset, logEndOffset, records, file, position, records.remaining(), -1);
    }

    static ReadResult slice(long logStartOffset, long logEndOffset, SegmentFile file, long position, int size,
                            long offsetCount) {
        return new ReadResult(logStartOffset, logEndOffset, null, file, position, size, offsetCount);
    }

    static ReadResult empty(long logStartOffset, long logEndOffset, SegmentFile file, long position) {
        return new ReadResult(logStartOffset, logEndOffset, EMPTY, file, position, 0, 0);
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    public int sizeInBytes() {
        return size;
    }

    /** True when the bytes were not copied: send them from {@link #file()}. */
    public boolean isSlice() {
        return records == null;
    }

    /** The batches, read-only, at position 0. Each call returns an independent view. Not for a slice. */
    public ByteBuffer records() {
        if (records == null) throw new IllegalStateException("a slice holds no copied records");
        return records.duplicate();
    }

    /** For a slice: the offsets its batches cover (the record count unless compaction removed some). */
    public long offsetCount() {
        return offsetCount;
    }

    /** The segment file the bytes are in (null only if the log had no segment to point at). */
    public SegmentFile file() {
        return file;
    }

    /** The segment file's channel. */
    public FileChannel channel() {
        return file == null ? null : file.channel();
    }

    /** File position of the first byte in {@link #file()}. */
    public long position() {
        return position;
    }

    @Override
    public String toString() {
        return "ReadResult[" + (isSlice() ? "slice, " : "") + "bytes=" + size + ", position=" + position
                + ", logStartOffset=" + logStartOffset + ", logEndOffset=" + logEndOffset + "]";
    }
}
