package io.tributary.storage;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one compaction pass knows about transactions while it walks the batches in offset order (Kafka's
 * CleanedTransactionMetadata): which batches belong to aborted transactions (they are dropped, and their records
 * never enter the key map, so an aborted write cannot shadow a committed one), and which markers no longer guard
 * any data (they may go once their delete horizon has passed). One instance per pass, on the cleaner thread.
 */
final class CleanedTransactions {

    /** An aborted transaction the pass has reached; {@code sawData} once one of its batches was read. */
    private static final class Aborted {
        boolean sawData;
    }

    private final ArrayDeque<AbortedTxn> upcoming;
    private final Map<Long, Aborted> ongoingAborted = new HashMap<>();
    private final Set<Long> ongoingCommitted = new HashSet<>();

    CleanedTransactions(List<AbortedTxn> aborted) {
        List<AbortedTxn> sorted = new ArrayList<>(aborted);
        sorted.sort(Comparator.comparingLong(AbortedTxn::firstOffset));
        this.upcoming = new ArrayDeque<>(sorted);
    }

    /**
     * A data batch was read (header at {@code at}).
     *
     * @return true if it belongs to an aborted transaction and must be dropped
     */
    boolean onBatchRead(ByteBuffer b, int at) {
        consumeAbortedUpTo(BatchLayout.lastOffset(b, at));
        if (!BatchLayout.isTransactional(b, at)) return false;
        long producerId = BatchLayout.producerId(b, at);
        Aborted aborted = ongoingAborted.get(producerId);
        if (aborted != null) {
            aborted.sawData = true;
            return true;
        }
        ongoingCommitted.add(producerId);
        return false;
    }

    /**
     * A marker was read (the whole control batch at {@code at}).
     *
     * @return true if no data of its transaction was seen in this pass, so it guards nothing and may be discarded
     *         (once its delete horizon has passed)
     */
    boolean onControlBatchRead(ByteBuffer b, int at) {
        consumeAbortedUpTo(BatchLayout.lastOffset(b, at));
        if (BatchLayout.recordsCount(b, at) == 0) return true;
        long producerId = BatchLayout.producerId(b, at);
        if (ControlBatch.isCommit(b, at)) {
            return !ongoingCommitted.remove(producerId);
        }
        Aborted aborted = ongoingAborted.remove(producerId);
        // Kept one more pass after its data went, as Kafka does, so a reader never sees data without its marker.
        return aborted == null || !aborted.sawData;
    }

    private void consumeAbortedUpTo(long offset) {
        while (!upcoming.isEmpty() && upcoming.peekFirst().firstOffset() <= offset) {
            AbortedTxn t = upcoming.pollFirst();
            ongoingAborted.putIfAbsent(t.producerId(), new Aborted());
        }
    }
}
