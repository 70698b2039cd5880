package io.tributary.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A segment's {@code .log} channel, shared by the segment and by zero-copy sends of its bytes. Reference counted so
 * that deleting or replacing a segment (retention, DeleteRecords, compaction, topic deletion) never closes the channel
 * under a send still queued on a socket: the segment holds one reference, each send one more, and the channel is
 * closed when the last goes. The file may already be unlinked by then; Linux keeps its bytes until that close, so a
 * queued send still transfers exactly the bytes it was sized for.
 *
 * <p>Thread-safe: the owner reads and appends, sends retain and release on connection event loops.
 */
public final class SegmentFile {
    private final FileChannel channel;
    /** 1 for the segment plus one per retained send; 0 once closed, after which nothing can retain it again. */
    private final AtomicInteger refs = new AtomicInteger(1);
    private volatile boolean segmentReleased;

    SegmentFile(FileChannel channel) {
        this.channel = channel;
    }

    /** The channel, for positional reads and transfers; valid only while the caller holds a reference. */
    public FileChannel channel() {
        return channel;
    }

    /**
     * Takes a reference for a send. False once the segment let go and every send finished: the channel is closed
     * (the segment was deleted or replaced since the read), so the caller sends nothing from it.
     */
    public boolean retain() {
        for (int n = refs.get(); n > 0; n = refs.get()) {
            if (refs.compareAndSet(n, n + 1)) return true;
        }
        return false;
    }

    /** Gives back a reference taken by {@link #retain()}; the last one closes the channel. */
    public void release() throws IOException {
        int left = refs.decrementAndGet();
        if (left == 0) {
            channel.close();
        } else if (left < 0) {
            throw new IllegalStateException("segment file released more often than retained");
        }
    }

    /** The segment's own reference, given back when it is closed; idempotent, as closing a segment is. */
    void releaseSegment() throws IOException {
        if (segmentReleased) return;
        segmentReleased = true;
        release();
    }
}
