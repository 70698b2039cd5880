package io.tributary.core.group;

import java.nio.ByteBuffer;

/** The log partition a coordinator shard writes its records to and rebuilds itself from. */
public interface ShardLog {

    /** Appends one record batch. Called on the owner context; throws when the log refuses it. */
    void append(ByteBuffer batch) throws Exception;

    /** Every stored batch, oldest first, for replay. May block: start-up only. */
    Iterable<ByteBuffer> batches();
}
