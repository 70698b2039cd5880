package io.tributary.core.protocol;

import io.tributary.core.network.SegmentFileRegion;
import io.tributary.storage.ReadResult;
import io.tributary.storage.SegmentFile;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.RecordsSend;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The records field of a fetch response when its bytes stay in the segment file (Kafka's FileRecords, for our
 * storage): it has a size for the generated codec, and {@link CompositeWritable} turns it into a file region of
 * the response frame instead of copying it. It holds a reference to the segment file from {@link #retain} until it
 * becomes a region (which then owns it) or is {@link #release() released}.
 */
public final class SegmentRecords implements BaseRecords {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentRecords.class);

    private final SegmentFile file;
    private final long position;
    private final int size;
    private boolean owned = true;

    private SegmentRecords(SegmentFile file, long position, int size) {
        this.file = file;
        this.position = position;
        this.size = size;
    }

    /**
     * Records for a slice read earlier on the partition's owner, or null when its segment has been deleted or
     * replaced since (the channel is closed): the partition then answers with no records this time, and the
     * consumer's next fetch finds the offset moved or in the segment that replaced it.
     */
    public static SegmentRecords retain(ReadResult slice) {
        if (!slice.isSlice()) throw new IllegalArgumentException("not a slice: " + slice);
        return slice.file().retain() ? new SegmentRecords(slice.file(), slice.position(), slice.sizeInBytes()) : null;
    }

    @Override
    public int sizeInBytes() {
        return size;
    }

    /** Hands the segment reference to a new region, once: the response frame sends and then releases it. */
    SegmentFileRegion toRegion() {
        if (!owned) throw new IllegalStateException("these records were already written or released");
        owned = false;
        return new SegmentFileRegion(file, position, size);
    }

    /** Gives the reference back when the response is not written (encoding failed). No-op once a region has it. */
    void release() {
        if (!owned) return;
        owned = false;
        try {
            file.release();
        } catch (IOException e) {
            // Only closing a deleted segment's channel can fail here; the caller is already handling a failure.
            LOG.warn("Could not close a deleted segment file: {}", e.toString());
        }
    }

    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        // Kafka's own network layer would call this; ours writes the frame through CompositeWritable.
        throw new UnsupportedOperationException("segment records are sent as file regions");
    }

    @Override
    public String toString() {
        return "SegmentRecords[position=" + position + ", size=" + size + "]";
    }
}
