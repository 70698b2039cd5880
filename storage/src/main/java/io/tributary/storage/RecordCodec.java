package io.tributary.storage;

import java.nio.ByteBuffer;

/**
 * Record-level access to stored v2 batches, for the log cleaner. Storage parses batch headers itself but leaves
 * the records inside a batch (which may be compressed with gzip, snappy, lz4 or zstd) to an implementation backed by
 * a codec library; the broker plugs in one built on the Kafka client's own record classes, so compaction rewrites
 * batches exactly as Kafka's cleaner does. Implementations must be thread-safe: the cleaner calls them from its own
 * threads.
 */
public interface RecordCodec {

    /** What to do with a batch before its records are looked at (Kafka's RecordFilter.BatchRetention). */
    enum BatchRetention {
        /** Drop the whole batch without reading its records. */
        DELETE,
        /** Keep the batch header even if no record survives: it carries producer state that must not be lost. */
        RETAIN_EMPTY,
        /** Drop the batch if no record survives. */
        DELETE_EMPTY
    }

    /** Receives the records of a batch in offset order. */
    @FunctionalInterface
    interface RecordVisitor {
        /**
         * @param key      the record key, or null for a record without one; valid only during the call
         * @param hasValue false for a tombstone (null value)
         */
        void record(long offset, ByteBuffer key, boolean hasValue);
    }

    /** Decides which batches and records the cleaner keeps. */
    interface RecordFilter {
        BatchRetention checkBatch(RecordBatchView batch);

        boolean retainRecord(RecordBatchView batch, long offset, ByteBuffer key, boolean hasValue);

        /**
         * Asked after {@link #checkBatch}: the batch is a transaction marker that no longer guards any data, so it
         * gets a delete horizon (KIP-534) if it has none and may be removed once that has passed.
         */
        default boolean isMarkerForEmptyTransaction() {
            return false;
        }
    }

    /**
     * @param bytesRead       input bytes consumed (whole batches); less than the input when the output had to grow
     * @param output          the retained batches, from position 0 to the limit; may be a new buffer
     * @param recordsRead     records looked at
     * @param recordsRetained records kept
     */
    record FilterResult(int bytesRead, ByteBuffer output, int recordsRead, int recordsRetained) {
    }

    /** Calls {@code visitor} for every record of the batch at {@code batch.position()}, decompressing if needed. */
    void forEachRecord(ByteBuffer batch, RecordVisitor visitor);

    /**
     * Kafka's {@code MemoryRecords.filterTo}: copies the whole batches in {@code input} (position to limit) into
     * {@code output}, keeping the records {@code filter} retains. A batch that keeps every record is copied byte for
     * byte; one that loses some is rebuilt with the same base offset, last offset, producer id, epoch, base sequence,
     * transactional/control flags, leader epoch and compression, so offsets never change and an idempotent
     * producer's last sequence survives. A batch holding tombstones and no delete horizon yet gets one at
     * {@code now + deleteRetentionMs} (KIP-534). A trailing partial batch is not consumed.
     */
    FilterResult filter(ByteBuffer input, RecordFilter filter, ByteBuffer output, long now, long deleteRetentionMs);
}
