package io.tributary.core.txn;

import io.tributary.core.group.Scheduler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides a transaction in three steps, as Kafka's coordinator does: write PrepareCommit or PrepareAbort (from
 * then on the outcome is fixed, and a restart finishes it), write the markers into every partition of the
 * transaction, then write CompleteCommit or CompleteAbort. Marker or completion failures are retried after a
 * back-off for as long as the shard is loaded. Owner context only.
 */
final class TxnCompletion {

    private static final Logger LOG = LoggerFactory.getLogger(TxnCompletion.class);

    private final TxnShard shard;
    private final TxnMarkerWriter markers;
    private final Scheduler scheduler;
    private final long retryBackoffMs;
    private final int coordinatorEpoch;

    TxnCompletion(TxnShard shard, TxnMarkerWriter markers, Scheduler scheduler, long retryBackoffMs,
                  int coordinatorEpoch) {
        this.shard = shard;
        this.markers = markers;
        this.scheduler = scheduler;
        this.retryBackoffMs = retryBackoffMs;
        this.coordinatorEpoch = coordinatorEpoch;
    }

    /**
     * Commits or aborts the open transaction of {@code m}; with {@code fence} under a bumped epoch, so the producer
     * that opened it can no longer write or end it (timeouts, a new producer instance). The future completes when
     * the transaction is decided everywhere.
     */
    Future<TxnError> decide(TxnMetadata m, boolean commit, boolean fence) {
        TxnState prepared = commit ? TxnState.PREPARE_COMMIT : TxnState.PREPARE_ABORT;
        long now = scheduler.nowMs();
        TxnMetadata next = fence ? m.fenced(prepared, now) : m.withState(prepared, now);
        if (!shard.write(next)) {
            return Future.succeededFuture(TxnError.COORDINATOR_NOT_AVAILABLE);
        }
        return complete(next).map(TxnError.NONE).otherwise(TxnError.NOT_COORDINATOR);
    }

    /** Writes the markers and the completion of a prepared transaction; fails only if the shard is unloaded. */
    Future<Void> complete(TxnMetadata prepared) {
        Promise<Void> done = Promise.promise();
        attempt(prepared, done);
        return done.future();
    }

    private void attempt(TxnMetadata prepared, Promise<Void> done) {
        if (!shard.isActive()) {
            done.tryFail("the transaction coordinator of " + prepared.transactionalId() + " was unloaded");
            return;
        }
        boolean commit = prepared.state() == TxnState.PREPARE_COMMIT;
        markers.write(prepared.partitions(), prepared.producerId(), prepared.producerEpoch(), commit, coordinatorEpoch)
                .onComplete(ar -> {
                    if (!shard.isActive()) {
                        done.tryFail("the transaction coordinator of " + prepared.transactionalId() + " was unloaded");
                        return;
                    }
                    if (ar.succeeded()) {
                        TxnMetadata completed = prepared.completed(scheduler.nowMs());
                        if (shard.write(completed)) {
                            shard.onCompleted(completed);
                            done.tryComplete();
                            return;
                        }
                    } else {
                        LOG.warn("Could not write the {} markers of {}; retrying: {}", commit ? "commit" : "abort",
                                prepared.transactionalId(), ar.cause().toString());
                    }
                    scheduler.schedule(retryBackoffMs, () -> attempt(prepared, done));
                });
    }
}
