package io.tributary.core.txn;

import org.apache.kafka.common.TopicPartition;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the coordinator knows of one transactional id: its producer id and epoch, the state of its current
 * transaction and the partitions in it. Immutable; a change is a new value, written to the log before it replaces
 * the old one in memory, so memory never runs ahead of what a restart would replay.
 */
public record TxnMetadata(String transactionalId, long producerId, short producerEpoch, int timeoutMs,
                          TxnState state, Set<TopicPartition> partitions, long startTimestampMs,
                          long lastUpdateTimestampMs) {

    public TxnMetadata {
        // Insertion order kept: the order partitions joined is the order they are stored and described.
        partitions = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(partitions));
    }

    static TxnMetadata fresh(String transactionalId, long producerId, int timeoutMs, long now) {
        return new TxnMetadata(transactionalId, producerId, (short) 0, timeoutMs, TxnState.EMPTY, Set.of(), -1L, now);
    }

    TxnMetadata withState(TxnState newState, long now) {
        return new TxnMetadata(transactionalId, producerId, producerEpoch, timeoutMs, newState, partitions,
                startTimestampMs, now);
    }

    /** A new epoch (or a new producer id at epoch 0) with no transaction open: InitProducerId. */
    TxnMetadata initialized(long newProducerId, short newEpoch, int newTimeoutMs, long now) {
        return new TxnMetadata(transactionalId, newProducerId, newEpoch, newTimeoutMs, TxnState.EMPTY, Set.of(), -1L,
                now);
    }

    /** The same transaction decided under a bumped epoch, which fences the producer that opened it. */
    TxnMetadata fenced(TxnState prepared, long now) {
        short next = producerEpoch < Short.MAX_VALUE - 1 ? (short) (producerEpoch + 1) : producerEpoch;
        return new TxnMetadata(transactionalId, producerId, next, timeoutMs, prepared, partitions, startTimestampMs,
                now);
    }

    /** Adds partitions, opening a transaction if none is open. */
    TxnMetadata withPartitions(Set<TopicPartition> added, long now) {
        boolean opening = state != TxnState.ONGOING;
        Set<TopicPartition> all = new LinkedHashSet<>(opening ? Set.of() : partitions);
        all.addAll(added);
        return new TxnMetadata(transactionalId, producerId, producerEpoch, timeoutMs, TxnState.ONGOING, all,
                opening ? now : startTimestampMs, now);
    }

    /** The transaction is decided everywhere: nothing is open any more. */
    TxnMetadata completed(long now) {
        TxnState done = state == TxnState.PREPARE_COMMIT ? TxnState.COMPLETE_COMMIT : TxnState.COMPLETE_ABORT;
        return new TxnMetadata(transactionalId, producerId, producerEpoch, timeoutMs, done, Set.of(), startTimestampMs,
                now);
    }

    long timeoutDeadlineMs() {
        return startTimestampMs + timeoutMs;
    }
}
