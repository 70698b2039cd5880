package io.tributary.storage;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;

/** What the log remembers about one idempotent producer: its epoch and its last few batches. */
final class ProducerStateEntry {
    /** Kafka's ProducerStateEntry.NUM_BATCHES_TO_RETAIN: producers have at most 5 batches in flight. */
    static final int NUM_BATCHES_TO_RETAIN = 5;
    static final short NO_EPOCH = -1;

    /** Sequence range and assigned offsets of one appended batch; {@code timestamp} is its max timestamp. */
    record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long timestamp) {
    }

    private final long producerId;
    private short epoch;
    private final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>(NUM_BATCHES_TO_RETAIN + 1);
    private long lastTimestamp = BatchLayout.NO_TIMESTAMP;
    /** First offset of the producer's open transaction, or -1: the starting point for a last stable offset. */
    private long currentTxnFirstOffset = -1;

    ProducerStateEntry(long producerId, short epoch) {
        this.producerId = producerId;
        this.epoch = epoch;
    }

    long producerId() {
        return producerId;
    }

    short epoch() {
        return epoch;
    }

    long lastTimestamp() {
        return lastTimestamp;
    }

    long currentTxnFirstOffset() {
        return currentTxnFirstOffset;
    }

    /** Oldest first. */
    Collection<BatchMetadata> batches() {
        return Collections.unmodifiableCollection(batches);
    }

    int lastSeq() {
        return batches.isEmpty() ? BatchLayout.NO_SEQUENCE : batches.peekLast().lastSeq();
    }

    /** A retained batch of the same epoch with exactly this sequence range, or null. */
    BatchMetadata findDuplicate(short batchEpoch, int firstSeq, int lastSeq) {
        if (batchEpoch != epoch) return null;
        for (BatchMetadata b : batches) {
            if (b.firstSeq() == firstSeq && b.lastSeq() == lastSeq) return b;
        }
        return null;
    }

    /** Records a data batch; a new epoch forgets the batches of the old one. */
    void addBatch(short batchEpoch, BatchMetadata batch, boolean transactional) {
        updateEpoch(batchEpoch);
        batches.addLast(batch);
        if (batches.size() > NUM_BATCHES_TO_RETAIN) batches.removeFirst();
        lastTimestamp = Math.max(lastTimestamp, batch.timestamp());
        if (transactional && currentTxnFirstOffset < 0) currentTxnFirstOffset = batch.firstOffset();
    }

    /** A commit or abort marker ends the producer's transaction. */
    void endTransaction(short markerEpoch, long timestamp) {
        updateEpoch(markerEpoch);
        currentTxnFirstOffset = -1;
        lastTimestamp = Math.max(lastTimestamp, timestamp);
    }

    /** Restores state read from a snapshot. */
    void restore(long lastTimestamp, long currentTxnFirstOffset, Collection<BatchMetadata> retained) {
        this.lastTimestamp = lastTimestamp;
        this.currentTxnFirstOffset = currentTxnFirstOffset;
        batches.clear();
        batches.addAll(retained);
        while (batches.size() > NUM_BATCHES_TO_RETAIN) batches.removeFirst();
    }

    private void updateEpoch(short newEpoch) {
        if (newEpoch != epoch) {
            epoch = newEpoch;
            batches.clear();
        }
    }

    @Override
    public String toString() {
        return "Producer[id=" + producerId + ", epoch=" + epoch + ", lastSeq=" + lastSeq() + ", batches=" + batches + "]";
    }
}
