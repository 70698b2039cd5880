package io.tributary.core.group;

import io.tributary.core.partition.Partition;
import io.tributary.storage.RecordBatchView;

import io.vertx.core.Future;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;

import java.nio.ByteBuffer;
import java.util.Iterator;

/** A coordinator shard's log: its internal-topic partition, appended to on the partition's own context. */
public final class PartitionShardLog implements ShardLog {

    private final Partition partition;

    public PartitionShardLog(Partition partition) {
        this.partition = partition;
    }

    @Override
    public void append(ByteBuffer batch) throws Exception {
        partition.append(batch);
    }

    @Override
    public void appendTransactional(ByteBuffer batch) throws Exception {
        partition.appendFromCoordinator(batch);
    }

    @Override
    public void appendMarker(long producerId, short epoch, boolean commit) throws Exception {
        partition.appendMarker(producerId, epoch, commit, 0);
    }

    @Override
    public Future<Void> replicated() {
        if (!partition.isLeader()) {
            // A follower's waiters would never be completed: the shard was unloaded meanwhile.
            return Future.failedFuture(new NotLeaderOrFollowerException("This broker no longer leads "
                    + partition.topicPartition()));
        }
        return partition.awaitReplication(partition.log().logEndOffset(), 1);
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
