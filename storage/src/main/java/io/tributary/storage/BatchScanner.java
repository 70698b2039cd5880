package io.tributary.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

import static io.tributary.storage.BatchLayout.HEADER_SIZE;
import static io.tributary.storage.BatchLayout.LENGTH;
import static io.tributary.storage.BatchLayout.LOG_OVERHEAD;

/**
 * Walks the record batches of a segment file front to back through a read buffer, so a scan costs one positional
 * read per buffer-full rather than one per batch. {@code next(false)} guarantees the 61-byte header of the current
 * batch is buffered, {@code next(true)} the whole batch. It stops at the end or at the first batch whose length is
 * not sane or runs past the end (a torn write); {@link #stopReason()} tells which.
 *
 * <p>The buffer is reused between refills, so what the scanner exposes is valid until the next call, unless it
 * was built with {@code freshBuffers}, in which case every refill gets new memory and views stay valid forever.
 */
final class BatchScanner {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final int capacity;
    private final boolean freshBuffers;
    /** The reused buffer, grown on demand up to {@code capacity}: opening an empty or small log reads little. */
    private ByteBuffer scratch;
    private ByteBuffer buf = EMPTY;
    private long bufStart;
    private FileChannel channel;
    private long end;
    private long next;
    private long position;
    private int size;
    private int offsetInBuf;
    private String stopReason;

    BatchScanner(int capacity, boolean freshBuffers) {
        this.capacity = capacity;
        this.freshBuffers = freshBuffers;
    }

    /** Starts a scan of {@code [start, end)} of the file. */
    BatchScanner reset(FileChannel ch, long start, long end) {
        this.channel = ch;
        this.end = end;
        this.next = start;
        this.position = -1;
        this.size = 0;
        this.stopReason = null;
        this.buf = EMPTY;
        this.bufStart = start;
        return this;
    }

    /** Moves to the next batch; false at the end or at a bad batch (see {@link #stopReason()}). */
    boolean next(boolean wholeBatch) throws IOException {
        long at = next;
        long available = end - at;
        if (available <= 0) {
            stopReason = null;
            return false;
        }
        if (available < LOG_OVERHEAD) {
            return stop("only " + available + " bytes remain at byte " + at + ", too few for a batch header");
        }
        ensure(at, LOG_OVERHEAD);
        long declared = (long) buf.getInt((int) (at - bufStart) + LENGTH) + LOG_OVERHEAD;
        if (declared < HEADER_SIZE) {
            return stop("batch at byte " + at + " declares " + declared + " bytes, fewer than a v2 batch header");
        }
        if (declared > available) {
            return stop("batch at byte " + at + " declares " + declared + " bytes but only " + available
                    + " remain (torn write)");
        }
        ensure(at, wholeBatch ? (int) declared : HEADER_SIZE);
        position = at;
        size = (int) declared;
        offsetInBuf = (int) (at - bufStart);
        next = at + declared;
        return true;
    }

    /** After {@code next(false)}: buffers the rest of the current batch too (control batches are read whole). */
    void loadWholeBatch() throws IOException {
        ensure(position, size);
        offsetInBuf = (int) (position - bufStart);
    }

    /** Why the scan stopped before the end, or null if it reached the end (or has not stopped). */
    String stopReason() {
        return stopReason;
    }

    /** File position where the scan stopped: the end, or the start of the first bad batch. */
    long stoppedAt() {
        return next;
    }

    long position() {
        return position;
    }

    int size() {
        return size;
    }

    /** Buffer holding the current batch (header or whole) at {@link #offset()}. */
    ByteBuffer buffer() {
        return buf;
    }

    int offset() {
        return offsetInBuf;
    }

    long baseOffset() {
        return BatchLayout.baseOffset(buf, offsetInBuf);
    }

    long lastOffset() {
        return BatchLayout.lastOffset(buf, offsetInBuf);
    }

    long maxTimestamp() {
        return BatchLayout.maxTimestamp(buf, offsetInBuf);
    }

    /** A view of the current batch; needs {@code next(true)} and, to outlive the next call, fresh buffers. */
    RecordBatchView view() {
        return RecordBatchView.wrap(buf.duplicate().limit(offsetInBuf + size).position(offsetInBuf));
    }

    private boolean stop(String reason) {
        stopReason = reason;
        return false;
    }

    /** Makes file bytes {@code [at, at + n)} available in {@link #buf}; {@code n <= end - at}. */
    private void ensure(long at, int n) throws IOException {
        if (at >= bufStart && at + n <= bufStart + buf.limit()) return;
        int want = (int) Math.max(n, Math.min(capacity, end - at));
        ByteBuffer target;
        if (freshBuffers || want > capacity) {
            target = ByteBuffer.allocate(want);
        } else {
            if (scratch == null || scratch.capacity() < want) {
                scratch = ByteBuffer.allocate(want);
            }
            target = scratch;
        }
        target.clear().limit(want);
        IoUtil.readFully(channel, target, at);
        target.flip();
        buf = target;
        bufStart = at;
    }
}
