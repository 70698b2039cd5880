package io.tributary.core.cluster;

import io.tributary.core.partition.Partition;
import io.tributary.core.partition.PartitionRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a clustered broker stops: the controller moves the leadership of its partitions to other in-sync
 * replicas and takes it out of every ISR, and the broker waits (bounded) until it leads nothing it can hand over.
 * A rolling restart then costs producers and consumers a metadata refresh and retriable errors, never data.
 */
public final class ControlledShutdown {

    private static final Logger LOG = LoggerFactory.getLogger(ControlledShutdown.class);
    private static final long POLL_MS = 100;

    private ControlledShutdown() {
    }

    public static Future<Void> run(Vertx vertx, ClusterServices cluster, PartitionRegistry partitions, long timeoutMs) {
        if (!cluster.membership().clustered() || cluster.membership().members().size() < 2) {
            return Future.succeededFuture();
        }
        long deadline = System.currentTimeMillis() + timeoutMs;
        int self = cluster.membership().localId();
        Promise<Void> done = Promise.promise();
        cluster.controller().drain(self).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("Controlled shutdown: the controller did not move leadership away: {}", ar.cause().getMessage());
                done.complete();
                return;
            }
            int unmovable = ar.result();
            awaitLeadershipGone(vertx, partitions, unmovable, deadline, done);
        });
        return done.future();
    }

    private static void awaitLeadershipGone(Vertx vertx, PartitionRegistry partitions, int unmovable, long deadline,
                                            Promise<Void> done) {
        long leading = partitions.all().stream().filter(Partition::isLeader).count();
        if (leading <= unmovable || System.currentTimeMillis() >= deadline) {
            LOG.info("Controlled shutdown: leading {} partitions ({} without another in-sync replica)", leading,
                    unmovable);
            done.complete();
            return;
        }
        vertx.setTimer(POLL_MS, id -> awaitLeadershipGone(vertx, partitions, unmovable, deadline, done));
    }
}
