package io.tributary.core.partition;

import java.nio.ByteBuffer;

/** Counts records in stored v2 batches from their headers alone, without decompressing anything. */
final class BatchCounts {

    private static final int LENGTH_OFFSET = 8;
    private static final int LOG_OVERHEAD = 12;
    private static final int LAST_OFFSET_DELTA_OFFSET = 23;
    private static final int MIN_HEADER = LAST_OFFSET_DELTA_OFFSET + 4;

    private BatchCounts() {
    }

    /** Records (offsets) covered by the whole batches in {@code batches}; a trailing partial batch is ignored. */
    static long records(ByteBuffer batches) {
        long count = 0;
        int position = batches.position();
        int limit = batches.limit();
        while (position + MIN_HEADER <= limit) {
            int size = LOG_OVERHEAD + batches.getInt(position + LENGTH_OFFSET);
            if (size < MIN_HEADER || position + size > limit) {
                break;
            }
            count += batches.getInt(position + LAST_OFFSET_DELTA_OFFSET) + 1L;
            position += size;
        }
        return count;
    }
}
