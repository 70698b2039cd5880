package io.tributary.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The transaction side of one partition log: which transactions are open (through the producer state), where the
 * last stable offset is, and which transactions were aborted (the {@code .txnindex} files). Markers go through
 * here whether appended live or replayed at start-up, so both paths keep the same state. Owner only.
 */
final class PartitionTransactions {
    private static final Logger log = LoggerFactory.getLogger(PartitionTransactions.class);

    private final Path dir;
    private final ProducerStateManager producers;
    private final AbortedTxnIndex aborted;

    private PartitionTransactions(Path dir, ProducerStateManager producers, AbortedTxnIndex aborted) {
        this.dir = dir;
        this.producers = producers;
        this.aborted = aborted;
    }

    static PartitionTransactions load(Path dir, ProducerStateManager producers) throws IOException {
        return new PartitionTransactions(dir, producers, AbortedTxnIndex.load(dir));
    }

    /** The first offset of the oldest open transaction, or {@code logEndOffset} when none is open. */
    long lastStableOffset(long logEndOffset) {
        long firstUnstable = producers.firstUnstableOffset();
        return firstUnstable < 0 ? logEndOffset : Math.min(firstUnstable, logEndOffset);
    }

    boolean hasOngoing(long producerId, short epoch) {
        ProducerStateEntry entry = producers.entry(producerId);
        return entry != null && entry.epoch() == epoch && entry.currentTxnFirstOffset() >= 0;
    }

    /** A marker may not carry an epoch older than the producer's: that producer was fenced. */
    void checkMarkerEpoch(long producerId, short epoch) throws LogException {
        ProducerStateEntry entry = producers.entry(producerId);
        if (entry != null && epoch < entry.epoch()) {
            throw new LogException(LogError.INVALID_PRODUCER_EPOCH, "marker of producer " + producerId + " has epoch "
                    + epoch + ", older than its current epoch " + entry.epoch());
        }
    }

    /** A marker was appended at {@code markerOffset}: the producer's transaction ends here. */
    void onMarkerAppended(long producerId, short epoch, boolean commit, long markerOffset, long segmentBase,
                          long timestamp) {
        try {
            onMarker(producerId, epoch, commit, markerOffset, segmentBase, timestamp);
        } catch (IOException e) {
            // The marker is in the log: replay after a restart rebuilds the entry from it.
            log.warn("Could not write the aborted transaction index of {}: {}", dir, e.getMessage());
        }
    }

    /** A marker read back from the log (the whole control batch at {@code at}) while producer state is rebuilt. */
    void onMarkerReplayed(ByteBuffer b, int at, long segmentBase) throws IOException {
        onMarker(BatchLayout.producerId(b, at), BatchLayout.producerEpoch(b, at), ControlBatch.isCommit(b, at),
                BatchLayout.baseOffset(b, at), segmentBase, BatchLayout.maxTimestamp(b, at));
    }

    private void onMarker(long producerId, short epoch, boolean commit, long markerOffset, long segmentBase,
                          long timestamp) throws IOException {
        long firstOffset = producers.completeTxn(producerId, epoch, timestamp);
        if (!commit && firstOffset >= 0) {
            aborted.append(segmentBase, new AbortedTxn(producerId, firstOffset, markerOffset,
                    lastStableOffset(markerOffset + 1)));
        }
    }

    List<AbortedTxn> abortedTransactions(long fetchOffset, long upperBound) {
        return aborted.collect(fetchOffset, upperBound);
    }

    /** Before producer state is rebuilt from {@code offset} on: those aborts come back from their markers. */
    void truncateFrom(long offset) throws IOException {
        aborted.truncateFrom(offset);
    }

    void deleteBelow(long logStartOffset) {
        try {
            aborted.deleteBelow(logStartOffset);
        } catch (IOException e) {
            log.warn("Could not prune the aborted transaction index of {}: {}", dir, e.getMessage());
        }
    }

    void deleteAll() throws IOException {
        aborted.deleteAll();
    }
}
