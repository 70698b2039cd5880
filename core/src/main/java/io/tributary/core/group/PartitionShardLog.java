package io.tributary.core.group;

import io.tributary.core.partition.Partition;
import io.tributary.storage.RecordBatchView;

import java.nio.ByteBuffer;
import java.util.Iterator;

/** A shard's log: its __consumer_offsets partition, appended to on the partition's own context. */
final class PartitionShardLog implements ShardLog {

    private final Partition partition;

    PartitionShardLog(Partition partition) {
        this.partition = partition;
    }

    @Override
    public void append(ByteBuffer batch) throws Exception {
        partition.append(batch);
    }

    @Override
    public Iterable<ByteBuffer> batches() {
        Iterable<RecordBatchView> views = partition.log().batchesFrom(0);
        return () -> {
            Iterator<RecordBatchView> it = views.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public ByteBuffer next() {
                    return it.next().buffer();
                }
            };
        };
    }
}
