package io.tributary.storage;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Whole stored record batches returned by {@link PartitionLog#read}, plus the file slice they came from so a
 * later zero-copy path can transfer {@code [position, position + sizeInBytes)} straight from {@link #channel()}.
 */
public final class ReadResult {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final long logStartOffset;
    private final long logEndOffset;
    private final ByteBuffer records;
    private final FileChannel channel;
    private final long position;

    ReadResult(long logStartOffset, long logEndOffset, ByteBuffer records, FileChannel channel, long position) {
        this.logStartOffset = logStartOffset;
        this.logEndOffset = logEndOffset;
        this.records = records;
        this.channel = channel;
        this.position = position;
    }

    static ReadResult empty(long logStartOffset, long logEndOffset, FileChannel channel, long position) {
        return new ReadResult(logStartOffset, logEndOffset, EMPTY, channel, position);
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    public int sizeInBytes() {
        return records.remaining();
    }

    /** The batches, read-only, at position 0. Each call returns an independent view. */
    public ByteBuffer records() {
        return records.duplicate();
    }

    /** The segment file the bytes were read from (null only if the log had no segment to point at). */
    public FileChannel channel() {
        return channel;
    }

    /** File position of the first returned byte in {@link #channel()}. */
    public long position() {
        return position;
    }

    @Override
    public String toString() {
        return "ReadResult[bytes=" + sizeInBytes() + ", position=" + position + ", logStartOffset=" + logStartOffset
                + ", logEndOffset=" + logEndOffset + "]";
    }
}
