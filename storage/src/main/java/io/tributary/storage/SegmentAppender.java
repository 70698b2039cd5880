package io.tributary.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Writes checked batches to the active segment and rolls it (Kafka's roll rules, in {@link LogSegment#shouldRoll});
 * a roll seals the old segment and snapshots producer state at the new segment's base. Owner only.
 */
final class SegmentAppender {
    private static final Logger log = LoggerFactory.getLogger(SegmentAppender.class);

    private final Path dir;
    private final SegmentList segments;
    private final ProducerStateManager producers;
    private final FlushTracker flush;

    SegmentAppender(Path dir, SegmentList segments, ProducerStateManager producers, FlushTracker flush) {
        this.dir = dir;
        this.segments = segments;
        this.producers = producers;
        this.flush = flush;
    }

    /** Writes batches that end below {@code nextOffset} to the active segment, rolling it first if due. */
    void write(ByteBuffer batches, long nextOffset, long maxTimestamp, long offsetOfMaxTimestamp, long now,
               LogConfig config, long logEndOffset) throws LogException {
        try {
            LogSegment active = segments.last();
            if (active.shouldRoll(batches.remaining(), maxTimestamp, nextOffset - 1, now, config)) {
                active = roll(now, config, logEndOffset);
            }
            active.append(batches, nextOffset - 1, maxTimestamp, offsetOfMaxTimestamp);
            active.touch(now);
        } catch (IOException e) {
            throw new LogException(LogError.STORAGE_ERROR, "could not write to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Starts a new active segment at {@code logEndOffset}; the old one is sealed and producer state snapshotted. */
    LogSegment roll(long now, LogConfig config, long logEndOffset) throws IOException {
        LogSegment old = segments.last();
        old.seal();
        LogSegment segment;
        try {
            ProducerStateSnapshot.write(dir, logEndOffset, producers.entries(), false);
            ProducerStateSnapshot.retainNewest(dir);
            segment = LogSegment.create(dir, logEndOffset, config.indexIntervalBytes(), now);
        } catch (IOException | RuntimeException e) {
            // A full disk: the old segment stays the active one and the next append tries to roll again.
            try {
                old.unseal();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        segments.add(segment);
        flush.directoryChanged();
        log.debug("Rolled {} to a new segment at offset {} after {} bytes", dir, logEndOffset, old.size());
        return segment;
    }
}
