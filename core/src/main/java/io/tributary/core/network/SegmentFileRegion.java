package io.tributary.core.network;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import io.tributary.storage.SegmentFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * Bytes {@code [position, position + count)} of a segment file, sent with {@code FileChannel.transferTo} (sendfile
 * on Linux). Not Netty's DefaultFileRegion: that one closes its channel when released, and this channel is the
 * segment's own, shared with the log and other sends. The region holds one {@link SegmentFile} reference, taken by
 * the caller, and gives it back when Netty releases it (written, failed, or dropped with a closed socket), so a
 * segment deleted meanwhile keeps its file open, and its bytes readable, exactly until then.
 */
public final class SegmentFileRegion extends AbstractReferenceCounted implements FileRegion {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentFileRegion.class);

    private final SegmentFile file;
    private final long position;
    private final long count;
    private long transferred;

    /** @param file a segment file the caller {@link SegmentFile#retain() retained} for this region */
    public SegmentFileRegion(SegmentFile file, long position, long count) {
        this.file = file;
        this.position = position;
        this.count = count;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public long transferred() {
        return transferred;
    }

    @Override
    @Deprecated
    public long transfered() {
        return transferred;
    }

    @Override
    public long transferTo(WritableByteChannel target, long at) throws IOException {
        long left = count - at;
        if (left <= 0) return 0;
        long written = file.channel().transferTo(position + at, left, target);
        if (written > 0) {
            transferred += written;
        } else if (file.channel().size() < position + count) {
            // The segment was truncated (a leader that became a follower cut its log) after the fetch was sized:
            // the frame cannot be completed, and Netty closes the connection on this IOException.
            throw new IOException("segment file shrank to " + file.channel().size() + " bytes while " + count
                    + " bytes from " + position + " were being sent");
        }
        return written;
    }

    @Override
    protected void deallocate() {
        try {
            file.release();
        } catch (IOException e) {
            LOG.warn("Could not close a deleted segment file after sending from it: {}", e.toString());
        }
    }

    @Override
    public FileRegion retain() {
        super.retain();
        return this;
    }

    @Override
    public FileRegion retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public FileRegion touch() {
        return this;
    }

    @Override
    public FileRegion touch(Object hint) {
        return this;
    }
}
