package io.tributary.core.txn;

import io.tributary.core.group.BatchCodec;
import io.tributary.core.group.Scheduler;
import io.tributary.core.group.ShardLog;
import io.tributary.core.txn.TxnMessages.AddPartitionsRequest;
import io.tributary.core.txn.TxnMessages.AddPartitionsResult;
import io.tributary.core.txn.TxnMessages.EndRequest;
import io.tributary.core.txn.TxnMessages.InitRequest;
import io.tributary.core.txn.TxnMessages.InitResult;
import io.tributary.core.txn.TxnMessages.TxnDescription;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The transaction coordinator for the transactional ids of one __transaction_state partition, on that partition's
 * context: its state needs no locks and its log writes no hop. Every change is written to the log before it takes
 * effect; at start-up the state is rebuilt by replaying the partition, and transactions that were being decided
 * are completed.
 */
final class TxnShard {

    private static final Logger LOG = LoggerFactory.getLogger(TxnShard.class);
    /** A single broker is the only coordinator there ever was. */
    private static final int COORDINATOR_EPOCH = 0;

    private final int partition;
    private final Context owner;
    private final ShardLog log;
    private final BatchCodec codec;
    private final Scheduler scheduler;
    private final TxnConfig config;
    private final Supplier<Future<Long>> producerIds;
    private final TxnCompletion completion;
    private final TxnTimeouts timeouts;
    private final Map<String, TxnMetadata> txns = new HashMap<>();
    /** Ids waiting for a new producer id; a second InitProducerId meanwhile must retry. */
    private final Set<String> allocating = new HashSet<>();
    private boolean active;

    TxnShard(int partition, Context owner, ShardLog log, BatchCodec codec, Scheduler scheduler, TxnConfig config,
             Supplier<Future<Long>> producerIds, TxnMarkerWriter markers) {
        this.partition = partition;
        this.owner = owner;
        this.log = log;
        this.codec = codec;
        this.scheduler = scheduler;
        this.config = config;
        this.producerIds = producerIds;
        this.timeouts = new TxnTimeouts(scheduler, this::sweep);
        this.completion = new TxnCompletion(this, markers, scheduler, config.markerRetryBackoffMs(),
                COORDINATOR_EPOCH);
    }

    Context owner() {
        return owner;
    }

    boolean isActive() {
        return active;
    }

    TxnMetadata get(String transactionalId) {
        return txns.get(transactionalId);
    }

    // ---- loading

    /** Replays the partition on a worker, then makes the state live on the owner and finishes decided transactions. */
    Future<Void> load() {
        return owner.<Map<String, TxnMetadata>>executeBlocking(this::replay, true).map(loaded -> {
            install(loaded);
            return null;
        });
    }

    private Map<String, TxnMetadata> replay() {
        Map<String, TxnMetadata> loaded = new LinkedHashMap<>();
        for (ByteBuffer batch : log.batches()) {
            codec.decode(batch, (key, value) -> {
                String id = TxnLogRecords.readKey(key);
                if (id == null) {
                    return;
                }
                try {
                    TxnMetadata m = TxnLogRecords.readValue(id, value);
                    if (m == null) {
                        loaded.remove(id);
                    } else {
                        loaded.put(id, m);
                    }
                } catch (IllegalArgumentException e) {
                    LOG.warn("Skipping a record of transactional id {}: {}", id, e.getMessage());
                }
            });
        }
        return loaded;
    }

    private void install(Map<String, TxnMetadata> loaded) {
        txns.putAll(loaded);
        active = true;
        for (TxnMetadata m : loaded.values()) {
            if (m.state().isPrepared()) {
                LOG.info("Completing transaction of {} left in {} at the last stop", m.transactionalId(),
                        m.state().displayName());
                completion.complete(m);
            }
        }
        if (!loaded.isEmpty()) {
            LOG.info("Loaded {} transactional ids from __transaction_state-{}", loaded.size(), partition);
        }
        sweep();
    }

    void unload() {
        active = false;
        timeouts.cancel();
        txns.clear();
        allocating.clear();
    }

    // ---- requests

    Future<InitResult> init(InitRequest r) {
        String id = r.transactionalId();
        if (r.timeoutMs() <= 0 || r.timeoutMs() > config.maxTimeoutMs()) {
            return Future.succeededFuture(InitResult.error(TxnError.INVALID_TRANSACTION_TIMEOUT));
        }
        if (allocating.contains(id)) {
            return Future.succeededFuture(InitResult.error(TxnError.CONCURRENT_TRANSACTIONS));
        }
        TxnMetadata m = txns.get(id);
        if (m == null) {
            return withNewProducerId(id, pid -> TxnMetadata.fresh(id, pid, r.timeoutMs(), scheduler.nowMs()));
        }
        if (r.expectedProducerId() == m.producerId() && r.expectedProducerEpoch() == m.producerEpoch() - 1
                && m.state() == TxnState.EMPTY) {
            // A retry of a bump that succeeded (its response was lost): answer the epoch it got.
            return Future.succeededFuture(new InitResult(TxnError.NONE, m.producerId(), m.producerEpoch()));
        }
        if (r.expectedProducerId() >= 0
                && (r.expectedProducerId() != m.producerId() || r.expectedProducerEpoch() != m.producerEpoch())) {
            return Future.succeededFuture(InitResult.error(TxnError.PRODUCER_FENCED));
        }
        if (m.state().isPrepared()) {
            return Future.succeededFuture(InitResult.error(TxnError.CONCURRENT_TRANSACTIONS));
        }
        if (m.state() == TxnState.ONGOING) {
            // A new instance of the producer: abort what the old one left open, under a bumped epoch that fences
            // it. The client retries and gets its epoch once the abort is done.
            LOG.info("Aborting the open transaction of {}: a new producer instance initialised", id);
            completion.decide(m, false, true);
            return Future.succeededFuture(InitResult.error(TxnError.CONCURRENT_TRANSACTIONS));
        }
        if (m.producerEpoch() >= Short.MAX_VALUE - 1) {
            return withNewProducerId(id, pid -> m.initialized(pid, (short) 0, r.timeoutMs(), scheduler.nowMs()));
        }
        TxnMetadata next = m.initialized(m.producerId(), (short) (m.producerEpoch() + 1), r.timeoutMs(),
                scheduler.nowMs());
        return Future.succeededFuture(write(next) ? new InitResult(TxnError.NONE, next.producerId(),
                next.producerEpoch()) : InitResult.error(TxnError.COORDINATOR_NOT_AVAILABLE));
    }

    private Future<InitResult> withNewProducerId(String id, LongFunction<TxnMetadata> next) {
        allocating.add(id);
        return producerIds.get().map(pid -> {
            allocating.remove(id);
            if (!active) {
                return InitResult.error(TxnError.NOT_COORDINATOR);
            }
            TxnMetadata m = next.apply(pid);
            return write(m) ? new InitResult(TxnError.NONE, m.producerId(), m.producerEpoch())
                    : InitResult.error(TxnError.COORDINATOR_NOT_AVAILABLE);
        }).recover(e -> {
            allocating.remove(id);
            LOG.warn("Could not allocate a producer id for {}: {}", id, e.getMessage());
            return Future.succeededFuture(InitResult.error(TxnError.COORDINATOR_NOT_AVAILABLE));
        });
    }

    AddPartitionsResult addPartitions(AddPartitionsRequest r) {
        TxnMetadata m = txns.get(r.transactionalId());
        TxnError error = checkProducer(m, r.producerId(), r.producerEpoch());
        if (error == TxnError.NONE && m.state().isPrepared()) {
            error = TxnError.CONCURRENT_TRANSACTIONS;
        }
        if (error == TxnError.NONE
                && !(m.state() == TxnState.ONGOING && m.partitions().containsAll(r.partitions()))) {
            TxnMetadata next = m.withPartitions(r.partitions(), scheduler.nowMs());
            if (write(next)) {
                timeouts.consider(next.timeoutDeadlineMs());
            } else {
                error = TxnError.COORDINATOR_NOT_AVAILABLE;
            }
        }
        Map<TopicPartition, TxnError> result = new LinkedHashMap<>();
        for (TopicPartition tp : r.partitions()) {
            result.put(tp, error);
        }
        return new AddPartitionsResult(result);
    }

    /**
     * Whether a transactional produce to {@code tp} is part of the producer's open transaction (Kafka's
     * transaction verification): without it a fenced producer could open a transaction in a partition the
     * coordinator does not know of, which nothing would ever end.
     */
    TxnError verify(String transactionalId, long producerId, short epoch, TopicPartition tp) {
        TxnMetadata m = txns.get(transactionalId);
        if (m == null || m.producerId() != producerId) {
            return TxnError.INVALID_PRODUCER_ID_MAPPING;
        }
        if (epoch < m.producerEpoch()) {
            return TxnError.INVALID_PRODUCER_EPOCH;
        }
        boolean inTransaction = m.state() == TxnState.ONGOING && epoch == m.producerEpoch()
                && m.partitions().contains(tp);
        return inTransaction ? TxnError.NONE : TxnError.INVALID_TXN_STATE;
    }

    Future<TxnError> end(EndRequest r) {
        TxnMetadata m = txns.get(r.transactionalId());
        TxnError error = checkProducer(m, r.producerId(), r.producerEpoch());
        if (error != TxnError.NONE) {
            return Future.succeededFuture(error);
        }
        boolean commit = r.commit();
        TxnError outcome = switch (m.state()) {
            case ONGOING -> null;
            case PREPARE_COMMIT -> commit ? TxnError.CONCURRENT_TRANSACTIONS : TxnError.INVALID_TXN_STATE;
            case PREPARE_ABORT -> commit ? TxnError.INVALID_TXN_STATE : TxnError.CONCURRENT_TRANSACTIONS;
            // A retried EndTxn whose first attempt succeeded.
            case COMPLETE_COMMIT -> commit ? TxnError.NONE : TxnError.INVALID_TXN_STATE;
            case COMPLETE_ABORT -> commit ? TxnError.INVALID_TXN_STATE : TxnError.NONE;
            default -> TxnError.INVALID_TXN_STATE;
        };
        return outcome != null ? Future.succeededFuture(outcome) : completion.decide(m, commit, false);
    }

    private static TxnError checkProducer(TxnMetadata m, long producerId, short epoch) {
        if (m == null || m.producerId() != producerId) {
            return TxnError.INVALID_PRODUCER_ID_MAPPING;
        }
        return epoch == m.producerEpoch() ? TxnError.NONE : TxnError.PRODUCER_FENCED;
    }

    TxnDescription describe(String transactionalId) {
        TxnMetadata m = txns.get(transactionalId);
        return m == null ? TxnDescription.error(transactionalId, TxnError.TRANSACTIONAL_ID_NOT_FOUND)
                : TxnDescription.of(m);
    }

    Collection<TxnMetadata> all() {
        return new ArrayList<>(txns.values());
    }

    // ---- log and timers

    /** Completes once this shard's writes so far are on every in-sync replica. Owner context only. */
    Future<Void> replicated() {
        return log.replicated();
    }

    /** Writes {@code next} to the log and, once it is there, makes it the id's state. False if the log refused. */
    boolean write(TxnMetadata next) {
        try {
            log.append(codec.encode(List.of(TxnLogRecords.record(next)), scheduler.nowMs()));
        } catch (Exception e) {
            LOG.warn("Could not write the state of {} to __transaction_state-{}: {}", next.transactionalId(),
                    partition, e.getMessage());
            return false;
        }
        txns.put(next.transactionalId(), next);
        return true;
    }

    /** After a transaction completes: its id may now expire. */
    void onCompleted(TxnMetadata done) {
        timeouts.consider(done.lastUpdateTimestampMs() + config.idExpirationMs());
    }

    /** Aborts transactions past their timeout, forgets ids idle past their expiration, and sets the next timer. */
    private void sweep() {
        if (!active) {
            return;
        }
        long now = scheduler.nowMs();
        long next = Long.MAX_VALUE;
        for (TxnMetadata m : all()) {
            if (m.state() == TxnState.ONGOING) {
                if (now >= m.timeoutDeadlineMs()) {
                    LOG.info("Aborting the transaction of {}: open longer than its timeout of {} ms",
                            m.transactionalId(), m.timeoutMs());
                    completion.decide(m, false, true);
                } else {
                    next = Math.min(next, m.timeoutDeadlineMs());
                }
            } else if (m.state().isIdle()) {
                long expiry = m.lastUpdateTimestampMs() + config.idExpirationMs();
                if (now >= expiry) {
                    expire(m);
                } else {
                    next = Math.min(next, expiry);
                }
            }
        }
        if (next != Long.MAX_VALUE) {
            timeouts.consider(next);
        }
    }

    private void expire(TxnMetadata m) {
        try {
            log.append(codec.encode(List.of(TxnLogRecords.tombstone(m.transactionalId())), scheduler.nowMs()));
            txns.remove(m.transactionalId());
            LOG.info("Forgot transactional id {}: idle longer than transactional.id.expiration.ms",
                    m.transactionalId());
        } catch (Exception e) {
            LOG.warn("Could not expire transactional id {}: {}", m.transactionalId(), e.getMessage());
        }
    }
}
