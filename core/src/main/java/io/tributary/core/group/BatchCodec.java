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

    /** One uncompressed v2 batch holding {@code records}, base offset 0 (the log assigns offsets). */
    ByteBuffer encode(List<KeyValue> records, long timestampMs);

    /** Visits every data record of the batches in {@code batches}, skipping control batches. */
    void decode(ByteBuffer batches, RecordVisitor visitor);
}
