package io.tributary.core.txn;

import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.group.GroupCoordinator;
import io.tributary.core.metadata.PartitionState;
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
 * Writes the COMMIT or ABORT marker of a transaction into every partition it touched: Kafka's WriteTxnMarkers.
 * Each marker is written by the partition's current leader: this broker's own partitions on their own context,
 * the others' through the leader's {@link TxnPeers} address. A __consumer_offsets partition goes through its
 * group coordinator, which also applies or drops the transaction's offsets there. A partition that no longer
 * exists (its topic was deleted) needs no marker.
 */
final class TxnMarkerWriter {

    /** Leader lookups: the partition's leader, {@link PartitionState#NO_LEADER}, or {@link #GONE}. */
    interface Leaders {
        int GONE = -2;

        int leaderOf(TopicPartition tp);
    }

    private final int localId;
    private final PartitionRegistry partitions;
    private final GroupCoordinator groups;
    private final Leaders leaders;
    private final TxnPeers peers;

    TxnMarkerWriter(int localId, PartitionRegistry partitions, GroupCoordinator groups, Leaders leaders,
                    TxnPeers peers) {
        this.localId = localId;
        this.partitions = partitions;
        this.groups = groups;
        this.leaders = leaders;
        this.peers = peers;
    }

    /** Completes once every marker is written; fails if one could not be (the caller retries them all). */
    Future<Void> write(Collection<TopicPartition> targets, long producerId, short epoch, boolean commit,
                       int coordinatorEpoch) {
        List<Future<Void>> writes = new ArrayList<>(targets.size());
        for (TopicPartition tp : targets) {
            writes.add(route(tp, producerId, epoch, commit, coordinatorEpoch));
        }
        return Future.all(writes).mapEmpty();
    }

    private Future<Void> route(TopicPartition tp, long producerId, short epoch, boolean commit, int coordinatorEpoch) {
        int leader = leaders.leaderOf(tp);
        if (leader == Leaders.GONE) {
            return Future.succeededFuture();
        }
        if (leader == PartitionState.NO_LEADER) {
            return Future.failedFuture(new IllegalStateException(tp + " has no leader right now"));
        }
        if (leader == localId) {
            return writeMarker(tp, producerId, epoch, commit, coordinatorEpoch);
        }
        return peers.writeMarker(leader, tp, producerId, epoch, commit, coordinatorEpoch);
    }

    /** Writes a marker into a partition this broker leads (for itself, or for a coordinator on another member). */
    Future<Void> writeMarker(TopicPartition tp, long producerId, short epoch, boolean commit,
                                    int coordinatorEpoch) {
        if (tp.topic().equals(GroupCoordinator.OFFSETS_TOPIC)) {
            return groups.completeTransaction(tp.partition(), producerId, epoch, commit);
        }
        Partition partition = partitions.get(tp);
        if (partition == null) {
            return leaders.leaderOf(tp) == Leaders.GONE ? Future.succeededFuture()
                    : Future.failedFuture(new IllegalStateException(tp + " is not hosted by this broker"));
        }
        return ContextHop.compose(partition.owner(), () -> {
            try {
                partition.appendMarker(producerId, epoch, commit, coordinatorEpoch);
            } catch (PartitionClosedException deleted) {
                // Deleted meanwhile: nothing left to decide there.
                return Future.<Void>succeededFuture();
            } catch (LogException e) {
                // A newer epoch already decided this producer's data here; retrying could never succeed.
                if (e.error() != LogError.INVALID_PRODUCER_EPOCH) {
                    throw e;
                }
                return Future.<Void>succeededFuture();
            }
            // Done once every in-sync replica has it: a new leader must not lose the decision.
            return partition.awaitReplication(partition.log().logEndOffset(), 1);
        });
    }
}
