package io.tributary.core.network;

import io.netty.channel.DefaultFileRegion;
import io.tributary.storage.SegmentFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Bytes {@code [position, position + count)} of a segment file, sent with sendfile: Netty's epoll transport does
 * that natively for a {@link DefaultFileRegion}, NIO through {@code FileChannel.transferTo}. Unlike a plain
 * DefaultFileRegion it does not close the channel when released: the channel is the segment's own, shared with the
 * log and other sends. The region holds one {@link SegmentFile} reference, taken by the caller, and gives it back
 * when Netty releases it (written, failed, or dropped with a closed socket), so a segment deleted meanwhile keeps
 * its file open, and its bytes readable, exactly until then. A segment truncated after the fetch was sized (a
 * leader that became a follower cut its log) cannot complete the frame: Netty's check of the file's size fails
 * the write and closes the connection.
 */
public final class SegmentFileRegion extends DefaultFileRegion {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentFileRegion.class);

    private final SegmentFile file;

    /** @param file a segment file the caller {@link SegmentFile#retain() retained} for this region */
    public SegmentFileRegion(SegmentFile file, long position, long count) {
        super(file.channel(), position, count);
        this.file = file;
    }

    @Override
    protected void deallocate() {
        try {
            file.release();
        } catch (IOException e) {
            LOG.warn("Could not close a deleted segment file after sending from it: {}", e.toString());
        }
    }
}
