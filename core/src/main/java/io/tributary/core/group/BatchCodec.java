package io.tributary.core.group;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Turns records into a Kafka record batch and back. Implemented in the protocol layer with
 * kafka-clients' record classes, so this package stays free of them.
 */
public interface BatchCodec {

    /** Receives each record of a batch; {@code value} is null for a tombstone. */
    @FunctionalInterface
    interface RecordVisitor {
        void accept(ByteBuffer key, ByteBuffer value);
    }

    /** Receives records and transaction markers in log order, for a replay that honours transactions. */
    interface BatchVisitor {
        /** A data record; {@code producerId} is that of its transactional batch, or -1 for a plain one. */
        void record(ByteBuffer key, ByteBuffer value, long producerId);

        /** A COMMIT or ABORT marker deciding the transactional records of {@code producerId} before it. */
        void marker(long producerId, boolean commit);
    }

    /** One uncompressed v2 batch holding {@code records}, base offset 0 (the log assigns offsets). */
    ByteBuffer encode(List<KeyValue> records, long timestampMs);

    /** As {@link #encode}, as a transactional batch of {@code producerId} at {@code epoch} (sequence 0). */
    ByteBuffer encodeTransactional(List<KeyValue> records, long timestampMs, long producerId, short epoch);

    /** Visits every record and marker of the batches in {@code batches}. */
    void decode(ByteBuffer batches, BatchVisitor visitor);

    /** Visits every data record of the batches in {@code batches}, skipping control batches. */
    void decode(ByteBuffer batches, RecordVisitor visitor);
}
