package io.tributary.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

import static io.tributary.storage.BatchLayout.*;

/**
 * A read-only look at one Kafka v2 RecordBatch: header fields parsed in place, never decompressed. Field reads are
 * absolute, so the view is unaffected by anyone moving the position of the buffer it was made from.
 */
public final class RecordBatchView {
    private final ByteBuffer buf; // starts at the batch, position 0

    private RecordBatchView(ByteBuffer buf) {
        this.buf = buf;
    }

    /**
     * Wraps the batch starting at {@code batch.position()}. Needs at least the 61-byte header; the batch itself
     * may continue past the limit (then {@link #buffer()} holds only what is there and {@link #isValid()} is false).
     */
    public static RecordBatchView wrap(ByteBuffer batch) {
        if (batch.remaining() < HEADER_SIZE) {
            throw new IllegalArgumentException("a v2 record batch header needs " + HEADER_SIZE + " bytes, only "
                    + batch.remaining() + " given");
        }
        return new RecordBatchView(batch.slice());
    }

    public long baseOffset() {
        return BatchLayout.baseOffset(buf, 0);
    }

    public long lastOffset() {
        return BatchLayout.lastOffset(buf, 0);
    }

    public int lastOffsetDelta() {
        return BatchLayout.lastOffsetDelta(buf, 0);
    }

    public int sizeInBytes() {
        return BatchLayout.size(buf, 0);
    }

    public int partitionLeaderEpoch() {
        return buf.getInt(PARTITION_LEADER_EPOCH);
    }

    public byte magic() {
        return BatchLayout.magic(buf, 0);
    }

    public short attributes() {
        return BatchLayout.attributes(buf, 0);
    }

    public boolean isTransactional() {
        return BatchLayout.isTransactional(buf, 0);
    }

    public boolean isControl() {
        return BatchLayout.isControl(buf, 0);
    }

    /** True once the cleaner stamped a delete horizon (KIP-534) into the batch. */
    public boolean hasDeleteHorizon() {
        return (attributes() & DELETE_HORIZON_FLAG) != 0;
    }

    /** The time after which this batch's tombstones may be removed, or -1 if the cleaner has not set one. */
    public long deleteHorizonMs() {
        return hasDeleteHorizon() ? baseTimestamp() : NO_TIMESTAMP;
    }

    public boolean isLogAppendTime() {
        return (attributes() & LOG_APPEND_TIME_FLAG) != 0;
    }

    /** 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd. */
    public int compressionCodecId() {
        return attributes() & COMPRESSION_MASK;
    }

    public long baseTimestamp() {
        return buf.getLong(BASE_TIMESTAMP);
    }

    public long maxTimestamp() {
        return BatchLayout.maxTimestamp(buf, 0);
    }

    public long producerId() {
        return BatchLayout.producerId(buf, 0);
    }

    public short producerEpoch() {
        return BatchLayout.producerEpoch(buf, 0);
    }

    public int baseSequence() {
        return BatchLayout.baseSequence(buf, 0);
    }

    public int lastSequence() {
        return BatchLayout.lastSequence(baseSequence(), lastOffsetDelta());
    }

    public int recordCount() {
        return BatchLayout.recordsCount(buf, 0);
    }

    public boolean hasProducerId() {
        return producerId() > NO_PRODUCER_ID;
    }

    /** True if the whole batch is present and its CRC-32C matches. */
    public boolean isValid() {
        int size = sizeInBytes();
        if (size < HEADER_SIZE || size > buf.limit()) return false;
        return computeCrc(new CRC32C(), buf, 0, size) == storedCrc(buf, 0);
    }

    /** The whole batch (or what is present of it): an independent duplicate at position 0. */
    public ByteBuffer buffer() {
        int size = sizeInBytes();
        ByteBuffer dup = buf.duplicate();
        if (size >= 0 && size < dup.limit()) dup.limit(size);
        return dup.position(0);
    }

    @Override
    public String toString() {
        return "RecordBatch[offsets=" + baseOffset() + ".." + lastOffset() + ", size=" + sizeInBytes()
                + ", magic=" + magic() + ", maxTimestamp=" + maxTimestamp() + ", producerId=" + producerId()
                + ", epoch=" + producerEpoch() + ", seq=" + baseSequence() + "]";
    }
}
