package io.tributary.core.group;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A shard log in memory; {@link #failWrites} makes appends fail like a broken disk. */
final class MemoryShardLog implements ShardLog {

    final List<ByteBuffer> batches = new ArrayList<>();
    boolean failWrites;

    @Override
    public void append(ByteBuffer batch) throws Exception {
        if (failWrites) {
            throw new java.io.IOException("disk full");
        }
        ByteBuffer copy = ByteBuffer.allocate(batch.remaining());
        copy.put(batch.duplicate()).flip();
        batches.add(copy);
    }

    @Override
    public Iterable<ByteBuffer> batches() {
        return batches;
    }
}
