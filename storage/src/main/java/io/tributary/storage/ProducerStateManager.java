package io.tributary.storage;

import io.tributary.storage.ProducerStateEntry.BatchMetadata;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Idempotent-producer bookkeeping for one partition, following Kafka's ProducerStateManager and ProducerAppendInfo.
 *
 * <p>An append is checked batch by batch with {@link #checkAndStage}; staged batches count for the checks of the
 * later batches of the same append but change nothing until {@link #commitPending()} runs after the bytes are on
 * disk, so a refused or failed append leaves the state untouched. Batches read back from the log at start-up go
 * through {@link #replay} instead, which trusts them.
 */
final class ProducerStateManager {
    private record PendingBatch(long producerId, short epoch, BatchMetadata batch, boolean transactional) {
    }

    private final Map<Long, ProducerStateEntry> producers = new HashMap<>();
    private final List<PendingBatch> pending = new ArrayList<>(2);
    /** First offset of every open transaction -> its producer: the smallest key is the first unstable offset. */
    private final TreeMap<Long, Long> ongoingTxns = new TreeMap<>();

    /**
     * Checks one client batch against the committed state and the batches staged before it in this append.
     *
     * @return the retained batch it duplicates (nothing staged), or null if it was staged
     */
    BatchMetadata checkAndStage(long producerId, short epoch, int firstSeq, int lastSeq, long firstOffset,
                                long lastOffset, long timestamp, boolean transactional) throws LogException {
        return checkAndStage(producerId, epoch, firstSeq, lastSeq, firstOffset, lastOffset, timestamp, transactional,
                false);
    }

    /**
     * As above; a {@code trusted} batch comes from a coordinator of this broker (transactional offset commits),
     * which does not number its batches, so only its epoch is checked.
     */
    BatchMetadata checkAndStage(long producerId, short epoch, int firstSeq, int lastSeq, long firstOffset,
                                long lastOffset, long timestamp, boolean transactional, boolean trusted)
            throws LogException {
        ProducerStateEntry entry = producers.get(producerId);
        if (trusted) {
            if (entry != null && epoch < entry.epoch()) {
                throw new LogException(LogError.INVALID_PRODUCER_EPOCH, "producer " + producerId + " sent epoch "
                        + epoch + ", older than its current epoch " + entry.epoch());
            }
            pending.add(new PendingBatch(producerId, epoch,
                    new BatchMetadata(firstSeq, lastSeq, firstOffset, lastOffset, timestamp), transactional));
            return null;
        }
        BatchMetadata duplicate = entry == null ? null : entry.findDuplicate(epoch, firstSeq, lastSeq);
        if (duplicate != null) return duplicate;

        PendingBatch staged = lastPending(producerId);
        boolean known = staged != null || entry != null;
        short currentEpoch = staged != null ? staged.epoch() : entry != null ? entry.epoch() : ProducerStateEntry.NO_EPOCH;
        int currentLastSeq = staged != null ? staged.batch().lastSeq() : entry != null ? entry.lastSeq() : BatchLayout.NO_SEQUENCE;

        if (known && epoch < currentEpoch) {
            throw new LogException(LogError.INVALID_PRODUCER_EPOCH, "producer " + producerId + " sent epoch " + epoch
                    + ", older than its current epoch " + currentEpoch);
        }
        if (!known || currentEpoch == ProducerStateEntry.NO_EPOCH) {
            // Unknown producer (new, or its state was removed with old segments): any sequence may start it.
        } else if (epoch != currentEpoch) {
            if (firstSeq != 0) {
                throw new LogException(LogError.OUT_OF_ORDER_SEQUENCE_NUMBER, "producer " + producerId
                        + " started new epoch " + epoch + " at sequence " + firstSeq + "; a new epoch must start at 0");
            }
        } else if (!inSequence(currentLastSeq, firstSeq)) {
            throw new LogException(LogError.OUT_OF_ORDER_SEQUENCE_NUMBER, "producer " + producerId + " epoch " + epoch
                    + " sent sequence " + firstSeq + " but the next expected sequence is "
                    + BatchLayout.incrementSequence(currentLastSeq, 1));
        }
        pending.add(new PendingBatch(producerId, epoch,
                new BatchMetadata(firstSeq, lastSeq, firstOffset, lastOffset, timestamp), transactional));
        return null;
    }

    /** Kafka's inSequence: next == last + 1, or a wrap from Integer.MAX_VALUE to 0. */
    static boolean inSequence(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1L || (nextSeq == 0 && lastSeq == Integer.MAX_VALUE);
    }

    void commitPending() {
        for (PendingBatch p : pending) {
            addBatch(producers.computeIfAbsent(p.producerId(), id -> new ProducerStateEntry(id, p.epoch())),
                    p.epoch(), p.batch(), p.transactional());
        }
        pending.clear();
    }

    void discardPending() {
        pending.clear();
    }

    /** Applies a batch read back from the log, without checks (it was checked when it was appended). */
    void replay(long producerId, short epoch, int firstSeq, int lastSeq, long firstOffset, long lastOffset,
                long timestamp, boolean transactional, boolean control) {
        ProducerStateEntry entry = producers.computeIfAbsent(producerId, id -> new ProducerStateEntry(id, epoch));
        if (control) {
            completeTxn(producerId, epoch, timestamp);
        } else {
            addBatch(entry, epoch, new BatchMetadata(firstSeq, lastSeq, firstOffset, lastOffset, timestamp),
                    transactional);
        }
    }

    private void addBatch(ProducerStateEntry entry, short epoch, BatchMetadata batch, boolean transactional) {
        long before = entry.currentTxnFirstOffset();
        entry.addBatch(epoch, batch, transactional);
        if (before < 0 && entry.currentTxnFirstOffset() >= 0) {
            ongoingTxns.put(entry.currentTxnFirstOffset(), entry.producerId());
        }
    }

    /**
     * A commit or abort marker of {@code producerId} was appended: its open transaction (if any) ends.
     *
     * @return the first offset of the transaction it ended, or -1 if the producer had none open here
     */
    long completeTxn(long producerId, short epoch, long timestamp) {
        ProducerStateEntry entry = producers.computeIfAbsent(producerId, id -> new ProducerStateEntry(id, epoch));
        long first = entry.currentTxnFirstOffset();
        if (first >= 0) ongoingTxns.remove(first);
        entry.endTransaction(epoch, timestamp);
        return first;
    }

    /** Offset of the first record of the oldest open transaction, or -1: the last stable offset when set. */
    long firstUnstableOffset() {
        return ongoingTxns.isEmpty() ? -1 : ongoingTxns.firstKey();
    }

    ProducerStateEntry entry(long producerId) {
        return producers.get(producerId);
    }

    Collection<ProducerStateEntry> entries() {
        return Collections.unmodifiableCollection(producers.values());
    }

    int size() {
        return producers.size();
    }

    void clear() {
        producers.clear();
        pending.clear();
        ongoingTxns.clear();
    }

    void load(Collection<ProducerStateEntry> entries) {
        clear();
        for (ProducerStateEntry e : entries) {
            producers.put(e.producerId(), e);
            if (e.currentTxnFirstOffset() >= 0) ongoingTxns.put(e.currentTxnFirstOffset(), e.producerId());
        }
    }

    /** Forgets producers idle for longer than {@code maxIdleMs} with no open transaction (producer.id.expiration.ms). */
    int removeExpired(long nowMs, long maxIdleMs) {
        int removed = 0;
        for (Iterator<ProducerStateEntry> it = producers.values().iterator(); it.hasNext(); ) {
            ProducerStateEntry e = it.next();
            if (e.currentTxnFirstOffset() < 0 && nowMs - e.lastTimestamp() > maxIdleMs) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    private PendingBatch lastPending(long producerId) {
        for (int i = pending.size() - 1; i >= 0; i--) {
            if (pending.get(i).producerId() == producerId) return pending.get(i);
        }
        return null;
    }

    /** For each producer, the last offset of its newest batch: those batches survive compaction, even empty. */
    Map<Long, Long> lastBatchOffsets() {
        Map<Long, Long> last = new HashMap<>();
        for (ProducerStateEntry e : entries()) {
            BatchMetadata newest = null;
            for (BatchMetadata b : e.batches()) newest = b;
            if (newest != null) last.put(e.producerId(), newest.lastOffset());
        }
        return last;
    }

    /** The producers kept, as DescribeProducers reports them. */
    List<ActiveProducer> activeProducers() {
        List<ActiveProducer> active = new ArrayList<>();
        for (ProducerStateEntry e : entries()) {
            active.add(new ActiveProducer(e.producerId(), e.epoch(), e.lastSeq(), e.lastTimestamp(),
                    e.currentTxnFirstOffset()));
        }
        return active;
    }
}
