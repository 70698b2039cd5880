package io.tributary.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import static io.tributary.storage.BatchLayout.*;

/**
 * Brings producer and transaction state in line with the log: from the newest usable snapshot plus the batch
 * headers after it (at open and after a truncation), and batch by batch for batches copied from a leader, which
 * take the same path as a replay. Owner only.
 */
final class ProducerStateLoader {
    private static final int REPLAY_BUFFER_BYTES = 256 * 1024;

    private final Path dir;
    private final SegmentList segments;
    private final ProducerStateManager producers;
    private final PartitionTransactions transactions;

    ProducerStateLoader(Path dir, SegmentList segments, ProducerStateManager producers,
                        PartitionTransactions transactions) {
        this.dir = dir;
        this.segments = segments;
        this.producers = producers;
        this.transactions = transactions;
    }

    /** Loads the newest usable snapshot at or below the log end and replays the batch headers after it. */
    void rebuild(long logEndOffset) throws IOException {
        // One listing for both steps: start-up runs this for every partition.
        List<Long> snapshots = new ArrayList<>(ProducerStateSnapshot.offsets(dir));
        for (Iterator<Long> it = snapshots.iterator(); it.hasNext(); ) {
            long o = it.next();
            if (o > logEndOffset) {
                Files.deleteIfExists(ProducerStateSnapshot.path(dir, o));
                it.remove();
            }
        }
        Optional<ProducerStateSnapshot.Loaded> snapshot = ProducerStateSnapshot.readLatest(dir, snapshots, logEndOffset);
        producers.clear();
        long from = segments.first().baseOffset();
        if (snapshot.isPresent()) {
            producers.load(snapshot.get().entries());
            from = Math.max(from, snapshot.get().offset());
        }
        // Aborts at or past the replay start come back from their markers below; none may be counted twice.
        transactions.truncateFrom(from);
        if (from >= logEndOffset) return;
        BatchScanner scanner = new BatchScanner(REPLAY_BUFFER_BYTES, false);
        for (int i = Math.max(0, segments.floorIndex(from)); i < segments.size(); i++) {
            LogSegment segment = segments.get(i);
            scanner.reset(segment.channel(), segment.lookupPosition(from), segment.size());
            while (scanner.next(false)) {
                if (scanner.lastOffset() < from) continue;
                ByteBuffer b = scanner.buffer();
                if (producerId(b, scanner.offset()) <= NO_PRODUCER_ID) continue;
                if (isControl(b, scanner.offset())) scanner.loadWholeBatch();
                replay(scanner.buffer(), scanner.offset(), segment.baseOffset());
            }
        }
    }

    /**
     * Applies the batch at {@code at} (whole, if a control batch) in the segment based at {@code segmentBase}:
     * a data batch to its producer's state, a marker to the transactions (and the aborted transaction index).
     */
    void replay(ByteBuffer b, int at, long segmentBase) throws IOException {
        long producerId = producerId(b, at);
        if (producerId <= NO_PRODUCER_ID) return;
        if (isControl(b, at)) {
            transactions.onMarkerReplayed(b, at, segmentBase);
            return;
        }
        int firstSeq = baseSequence(b, at);
        producers.replay(producerId, producerEpoch(b, at), firstSeq, lastSequence(firstSeq, lastOffsetDelta(b, at)),
                BatchLayout.baseOffset(b, at), BatchLayout.lastOffset(b, at), BatchLayout.maxTimestamp(b, at),
                isTransactional(b, at), false);
    }
}
