package io.tributary.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The fixed header of a Kafka v2 RecordBatch: field positions and absolute getters/setters on a buffer holding a
 * batch at {@code at}. Static so scans over headers allocate nothing.
 */
final class BatchLayout {
    static final int BASE_OFFSET = 0;
    static final int LENGTH = 8;
    static final int PARTITION_LEADER_EPOCH = 12;
    static final int MAGIC = 16;
    static final int CRC = 17;
    static final int ATTRIBUTES = 21;
    static final int LAST_OFFSET_DELTA = 23;
    static final int BASE_TIMESTAMP = 27;
    static final int MAX_TIMESTAMP = 35;
    static final int PRODUCER_ID = 43;
    static final int PRODUCER_EPOCH = 51;
    static final int BASE_SEQUENCE = 53;
    static final int RECORDS_COUNT = 57;
    static final int HEADER_SIZE = 61;

    /** baseOffset + batchLength: the bytes not counted by batchLength. */
    static final int LOG_OVERHEAD = 12;
    /** Bytes needed to read the magic byte, which sits at the same place in every message format. */
    static final int HEADER_SIZE_UP_TO_MAGIC = MAGIC + 1;

    static final byte MAGIC_V2 = 2;
    static final int COMPRESSION_MASK = 0x07;
    static final int LOG_APPEND_TIME_FLAG = 0x08;
    static final int TRANSACTIONAL_FLAG = 0x10;
    static final int CONTROL_FLAG = 0x20;
    /** KIP-534: baseTimestamp holds the time after which the batch's tombstones may be removed. */
    static final int DELETE_HORIZON_FLAG = 0x40;

    static final long NO_PRODUCER_ID = -1L;
    static final int NO_SEQUENCE = -1;
    static final long NO_TIMESTAMP = -1L;

    private BatchLayout() {
    }

    /** Total bytes of the batch at {@code at}, from its length field. */
    static int size(ByteBuffer b, int at) {
        return b.getInt(at + LENGTH) + LOG_OVERHEAD;
    }

    static long baseOffset(ByteBuffer b, int at) {
        return b.getLong(at + BASE_OFFSET);
    }

    static int partitionLeaderEpoch(ByteBuffer b, int at) {
        return b.getInt(at + PARTITION_LEADER_EPOCH);
    }

    static int lastOffsetDelta(ByteBuffer b, int at) {
        return b.getInt(at + LAST_OFFSET_DELTA);
    }

    static long lastOffset(ByteBuffer b, int at) {
        return baseOffset(b, at) + lastOffsetDelta(b, at);
    }

    static byte magic(ByteBuffer b, int at) {
        return b.get(at + MAGIC);
    }

    static short attributes(ByteBuffer b, int at) {
        return b.getShort(at + ATTRIBUTES);
    }

    static long maxTimestamp(ByteBuffer b, int at) {
        return b.getLong(at + MAX_TIMESTAMP);
    }

    static long producerId(ByteBuffer b, int at) {
        return b.getLong(at + PRODUCER_ID);
    }

    static short producerEpoch(ByteBuffer b, int at) {
        return b.getShort(at + PRODUCER_EPOCH);
    }

    static int baseSequence(ByteBuffer b, int at) {
        return b.getInt(at + BASE_SEQUENCE);
    }

    static int recordsCount(ByteBuffer b, int at) {
        return b.getInt(at + RECORDS_COUNT);
    }

    static long storedCrc(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at + CRC));
    }

    static boolean isTransactional(ByteBuffer b, int at) {
        return (attributes(b, at) & TRANSACTIONAL_FLAG) != 0;
    }

    static boolean isControl(ByteBuffer b, int at) {
        return (attributes(b, at) & CONTROL_FLAG) != 0;
    }

    /** Kafka's DefaultRecordBatch.lastSequence: base + delta, wrapping past Integer.MAX_VALUE to 0. */
    static int lastSequence(int baseSequence, int lastOffsetDelta) {
        if (baseSequence == NO_SEQUENCE) return NO_SEQUENCE;
        return incrementSequence(baseSequence, lastOffsetDelta);
    }

    static int incrementSequence(int sequence, int increment) {
        if (sequence > Integer.MAX_VALUE - increment) return increment - (Integer.MAX_VALUE - sequence) - 1;
        return sequence + increment;
    }

    /** CRC-32C over attributes..end, the part of a v2 batch the CRC covers. */
    static long computeCrc(CRC32C crc, ByteBuffer b, int at, int size) {
        crc.reset();
        int from = at + ATTRIBUTES;
        int len = size - ATTRIBUTES;
        if (b.hasArray()) {
            crc.update(b.array(), b.arrayOffset() + from, len);
        } else {
            crc.update(b.duplicate().limit(from + len).position(from));
        }
        return crc.getValue();
    }

    /** Rewrites the batch for LogAppendTime: timestamp-type bit, maxTimestamp and therefore the CRC. */
    static void stampLogAppendTime(CRC32C crc, ByteBuffer b, int at, int size, long now) {
        short attrs = attributes(b, at);
        if ((attrs & LOG_APPEND_TIME_FLAG) != 0 && maxTimestamp(b, at) == now) return;
        b.putShort(at + ATTRIBUTES, (short) (attrs | LOG_APPEND_TIME_FLAG));
        b.putLong(at + MAX_TIMESTAMP, now);
        b.putInt(at + CRC, (int) computeCrc(crc, b, at, size));
    }
}
