package io.tributary.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

import static io.tributary.storage.BatchLayout.*;

/**
 * Transaction markers: v2 control batches holding one record whose key is {@code version int16, type int16}
 * (0 = abort, 1 = commit) and whose value is {@code version int16, coordinatorEpoch int32}, exactly as Kafka writes
 * them (EndTransactionMarker), so every client recognises them.
 */
final class ControlBatch {
    static final short ABORT = 0;
    static final short COMMIT = 1;

    /** The record: length, attributes, timestampDelta, offsetDelta, key length + 4 key bytes, value length + 6, headers. */
    private static final int RECORD_BODY = 1 + 1 + 1 + 1 + 4 + 1 + 6 + 1;
    private static final int SIZE = HEADER_SIZE + 1 + RECORD_BODY;

    private ControlBatch() {
    }

    /** One marker batch at base offset 0 (the log assigns the offset). */
    static ByteBuffer build(long producerId, short epoch, boolean commit, int coordinatorEpoch, long timestamp) {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.putLong(0L).putInt(SIZE - LOG_OVERHEAD).putInt(-1).put(MAGIC_V2).putInt(0)
                .putShort((short) (TRANSACTIONAL_FLAG | CONTROL_FLAG))
                .putInt(0).putLong(timestamp).putLong(timestamp)
                .putLong(producerId).putShort(epoch).putInt(NO_SEQUENCE).putInt(1);
        // Varints here are all single bytes: zig-zag of n is 2n.
        b.put((byte) (2 * RECORD_BODY)).put((byte) 0).put((byte) 0).put((byte) 0)
                .put((byte) (2 * 4)).putShort((short) 0).putShort(commit ? COMMIT : ABORT)
                .put((byte) (2 * 6)).putShort((short) 0).putInt(coordinatorEpoch)
                .put((byte) 0);
        b.flip();
        b.putInt(CRC, (int) computeCrc(new CRC32C(), b, 0, SIZE));
        return b;
    }

    /**
     * Whether the whole control batch at {@code at} is a commit marker. Control batches are never compressed, so
     * the key is read from the first record directly.
     */
    static boolean isCommit(ByteBuffer b, int at) {
        int p = at + HEADER_SIZE;
        p = skipVarint(b, p); // record length
        p += 1; // attributes
        p = skipVarint(b, p); // timestamp delta
        p = skipVarint(b, p); // offset delta
        p = skipVarint(b, p); // key length (4)
        return b.getShort(p + 2) == COMMIT;
    }

    private static int skipVarint(ByteBuffer b, int p) {
        while ((b.get(p) & 0x80) != 0) p++;
        return p + 1;
    }
}
