package io.tributary.core.group;

import java.nio.ByteBuffer;

/** The log partition a coordinator shard writes its records to and rebuilds itself from. */
public interface ShardLog {

    /** Appends one record batch. Called on the owner context; throws when the log refuses it. */
    void append(ByteBuffer batch) throws Exception;

    /** Appends a transactional batch written for a producer (its epoch is checked, not its sequence). */
    default void appendTransactional(ByteBuffer batch) throws Exception {
        append(batch);
    }

    /** Appends the COMMIT or ABORT marker that decides {@code producerId}'s transactional records here. */
    default void appendMarker(long producerId, short epoch, boolean commit) throws Exception {
        throw new UnsupportedOperationException("this log does not take transaction markers");
    }

    /** Every stored batch, oldest first, for replay. May block: start-up only. */
    Iterable<ByteBuffer> batches();
}
