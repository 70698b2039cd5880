package io.tributary.core.txn;

import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.group.GroupCoordinator;
import io.tributary.core.partition.Partition;
import io.tributary.core.partition.PartitionClosedException;
import io.tributary.core.partition.PartitionRegistry;
import io.tributary.storage.LogError;
import io.tributary.storage.LogException;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Writes the COMMIT or ABORT marker of a transaction into every partition it touched: Kafka's WriteTxnMarkers,
 * done in process. A data partition takes the marker on its own context; a __consumer_offsets partition goes
 * through the group coordinator, which also applies or drops the transaction's offsets there. A partition that no
 * longer exists (its topic was deleted) needs no marker.
 */
final class TxnMarkerWriter {

    private final PartitionRegistry partitions;
    private final GroupCoordinator groups;

    TxnMarkerWriter(PartitionRegistry partitions, GroupCoordinator groups) {
        this.partitions = partitions;
        this.groups = groups;
    }

    /** Completes once every marker is written; fails if one could not be (the caller retries them all). */
    Future<Void> write(Collection<TopicPartition> targets, long producerId, short epoch, boolean commit,
                       int coordinatorEpoch) {
        List<Future<Void>> writes = new ArrayList<>(targets.size());
        for (TopicPartition tp : targets) {
            writes.add(write(tp, producerId, epoch, commit, coordinatorEpoch));
        }
        return Future.all(writes).mapEmpty();
    }

    private Future<Void> write(TopicPartition tp, long producerId, short epoch, boolean commit, int coordinatorEpoch) {
        if (tp.topic().equals(GroupCoordinator.OFFSETS_TOPIC)) {
            return groups.completeTransaction(tp.partition(), producerId, epoch, commit);
        }
        Partition partition = partitions.get(tp);
        if (partition == null) {
            return Future.succeededFuture();
        }
        return ContextHop.call(partition.owner(), () -> {
            try {
                partition.appendMarker(producerId, epoch, commit, coordinatorEpoch);
            } catch (PartitionClosedException deleted) {
                // Deleted meanwhile: nothing left to decide there.
            } catch (LogException e) {
                // A newer epoch already decided this producer's data here; retrying could never succeed.
                if (e.error() != LogError.INVALID_PRODUCER_EPOCH) {
                    throw e;
                }
            }
            return (Void) null;
        });
    }
}
