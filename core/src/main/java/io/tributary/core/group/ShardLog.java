package io.tributary.core.group;

import io.vertx.core.Future;

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

    /**
     * Completes once everything appended so far is on every in-sync replica (a coordinator answers a write only
     * then, so a new leader has it); fails if this broker stops leading first. Called on the owner context.
     */
    default Future<Void> replicated() {
        return Future.succeededFuture();
    }

    /** Every stored batch, oldest first, for replay. May block: start-up only. */
    Iterable<ByteBuffer> batches();
}
