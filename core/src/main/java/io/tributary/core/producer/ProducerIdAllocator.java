package io.tributary.core.producer;

import io.tributary.core.metadata.MetadataStore;
import io.vertx.core.Context;
import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;

/**
 * Hands out producer ids that are never reused, even across crashes: ids are reserved in blocks,
 * and a block's end is written durably before any id from it is given out. A crash wastes at most
 * the rest of one block. The counters live on the owner context; only the file write runs on a worker.
 */
public final class ProducerIdAllocator {

    static final String FILE = "producer-ids";
    static final long BLOCK_SIZE = 1000;

    /** In a cluster every broker hands out its own residue class: id = local * STRIDE + node id. */
    public static final int CLUSTER_STRIDE = 1024;

    private final Context owner;
    private final MetadataStore store;
    private final int stride;
    private final int residue;
    private long next;
    private long blockEnd;
    private Future<Void> reserving;

    public ProducerIdAllocator(Context owner, MetadataStore store) {
        this(owner, store, 1, 0);
    }

    /**
     * An allocator whose ids never collide with those of other brokers using the same stride and another residue
     * (their node id), without any coordination. Local counters only grow, so an id never repeats one this broker
     * gave out before it joined a cluster either.
     */
    public ProducerIdAllocator(Context owner, MetadataStore store, int stride, int residue) {
        this.owner = owner;
        this.store = store;
        this.stride = stride;
        this.residue = residue;
    }

    public Context owner() {
        return owner;
    }

    /** Returns a fresh producer id. Must be called on the owner context. */
    public Future<Long> allocate() {
        if (next < blockEnd) {
            return Future.succeededFuture(next++ * stride + residue);
        }
        if (reserving == null) {
            reserving = owner.<long[]>executeBlocking(this::reserveBlock, true)
                    .map(range -> {
                        next = range[0];
                        blockEnd = range[1];
                        reserving = null;
                        return (Void) null;
                    })
                    .onFailure(e -> reserving = null);
        }
        return reserving.compose(v -> allocate());
    }

    /** Durably moves the reserved end forward by one block; returns [start, end). Worker thread. */
    private long[] reserveBlock() throws Exception {
        byte[] stored = store.read(FILE);
        long start = stored == null ? 0 : Long.parseLong(new String(stored, StandardCharsets.UTF_8).trim());
        long end = start + BLOCK_SIZE;
        store.writeAtomically(FILE, Long.toString(end).getBytes(StandardCharsets.UTF_8));
        return new long[] {start, end};
    }
}
