package io.tributary.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static io.tributary.storage.BatchLayout.*;

/**
 * The read side of a partition log: fetches of whole batches, timestamp lookups and lazy iteration, between the
 * log start and end offsets its caller passes. Owner only (it reuses one lookup scanner, so reads allocate only
 * their result); iteration snapshots the segments and may run anywhere.
 */
final class LogReader {
    private static final int LOOKUP_BUFFER_BYTES = 8 * 1024;
    private static final int ITERATOR_CHUNK_BYTES = 64 * 1024;

    private final Path dir;
    private final SegmentList segments;
    private final BatchScanner lookup = new BatchScanner(LOOKUP_BUFFER_BYTES, false);
    /** The 8 bytes of a batch's base offset, read to count the offsets a slice covers. */
    private final ByteBuffer baseOffsetBuffer = ByteBuffer.allocate(8);

    LogReader(Path dir, SegmentList segments) {
        this.dir = dir;
        this.segments = segments;
    }

    /** The scanner for index-then-scan lookups, shared with truncation (owner only). */
    BatchScanner lookup() {
        return lookup;
    }

    /** See {@link PartitionLog#read(long, int, boolean, long)}. */
    ReadResult read(long fetchOffset, int maxBytes, boolean minOneBatch, long maxOffset, long logStartOffset,
                    long logEndOffset) throws LogException {
        ReadResult full = readUpToEnd(fetchOffset, maxBytes, minOneBatch, logStartOffset, logEndOffset);
        if (maxOffset >= logEndOffset || full.sizeInBytes() == 0) return full;
        ByteBuffer records = full.records();
        int end = 0;
        while (end + LOG_OVERHEAD <= records.limit() && BatchLayout.baseOffset(records, end) < maxOffset) {
            end += BatchLayout.size(records, end);
        }
        return ReadResult.copied(full.logStartOffset(), full.logEndOffset(),
                records.limit(end).slice().asReadOnlyBuffer(), full.file(), full.position());
    }

    private ReadResult readUpToEnd(long fetchOffset, int maxBytes, boolean minOneBatch, long logStartOffset,
                                   long logEndOffset) throws LogException {
        try {
            LogSegment segment = locate(fetchOffset, logStartOffset, logEndOffset);
            if (segment == null) return emptyAtEnd(logStartOffset, logEndOffset);
            return readFrom(segment, lookup.position(), lookup.size(), maxBytes, minOneBatch, logStartOffset,
                    logEndOffset);
        } catch (IOException e) {
            throw new LogException(LogError.STORAGE_ERROR, "could not read " + dir + ": " + e.getMessage(), e);
        }
    }

    /** See {@link PartitionLog#readSlice}: the bounds of {@link #read}, found from batch headers, nothing copied. */
    ReadResult readSlice(long fetchOffset, int maxBytes, boolean minOneBatch, long maxOffset, long logStartOffset,
                         long logEndOffset) throws LogException {
        try {
            LogSegment segment = locate(fetchOffset, logStartOffset, logEndOffset);
            if (segment == null) return emptyAtEnd(logStartOffset, logEndOffset);
            long start = lookup.position();
            int first = lookup.size();
            long firstBase = lookup.baseOffset();
            if (firstBase >= maxOffset || (first > maxBytes && !minOneBatch)) {
                return ReadResult.empty(logStartOffset, logEndOffset, segment.file(), start);
            }
            long end = start + first;
            if (first < maxBytes) {
                // Sized now: the active segment may grow, but the bytes below its current size never change.
                long limit = Math.min(segment.size(), start + (long) maxBytes);
                if (maxOffset < logEndOffset) limit = Math.min(limit, firstBatchFrom(segment, maxOffset, end));
                lookup.reset(segment.channel(), Math.max(end, segment.indexedBatchAtOrBefore(limit)), limit);
                while (lookup.next(false)) {
                    // only the headers: the scan stops at the first batch that does not end within the limit
                }
                end = Math.max(end, lookup.stoppedAt());
            }
            return ReadResult.slice(logStartOffset, logEndOffset, segment.file(), start, (int) (end - start),
                    nextOffsetAt(segment, end, logEndOffset) - firstBase);
        } catch (IOException e) {
            throw new LogException(LogError.STORAGE_ERROR, "could not read " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The offset that follows the batches ending at {@code position}: the next batch's base offset. */
    private long nextOffsetAt(LogSegment segment, long position, long logEndOffset) throws IOException {
        if (position < segment.size()) {
            segment.read(baseOffsetBuffer.clear(), position);
            return baseOffsetBuffer.getLong(0);
        }
        int i = segments.floorIndex(segment.baseOffset());
        return i + 1 < segments.size() ? segments.get(i + 1).baseOffset() : logEndOffset;
    }

    /**
     * File position of the first batch at or after position {@code from} whose base offset is >= {@code offset}
     * (the segment size if none): a read bounded by the high watermark or last stable offset ends there.
     */
    private long firstBatchFrom(LogSegment segment, long offset, long from) throws IOException {
        lookup.reset(segment.channel(), Math.max(from, segment.lookupPosition(offset)), segment.size());
        while (lookup.next(false)) {
            if (lookup.baseOffset() >= offset) return lookup.position();
        }
        return lookup.stoppedAt();
    }

    /**
     * The segment holding {@code fetchOffset}, with {@link #lookup} on the first batch whose last offset is at or
     * past it; null at the log end.
     */
    private LogSegment locate(long fetchOffset, long logStartOffset, long logEndOffset)
            throws LogException, IOException {
        if (fetchOffset < logStartOffset || fetchOffset > logEndOffset) {
            throw new LogException(LogError.OFFSET_OUT_OF_RANGE, "fetch offset " + fetchOffset
                    + " is outside the log, which holds offsets " + logStartOffset + " up to " + logEndOffset);
        }
        if (fetchOffset < logEndOffset) {
            for (int i = Math.max(0, segments.floorIndex(fetchOffset)); i < segments.size(); i++) {
                LogSegment segment = segments.get(i);
                if (segment.locate(fetchOffset, lookup)) return segment;
            }
        }
        return null;
    }

    private ReadResult emptyAtEnd(long logStartOffset, long logEndOffset) {
        LogSegment active = segments.last();
        return ReadResult.empty(logStartOffset, logEndOffset, active.file(), active.size());
    }

    private ReadResult readFrom(LogSegment segment, long position, int firstBatchSize, int maxBytes,
                                boolean minOneBatch, long logStartOffset, long logEndOffset) throws IOException {
        int length;
        if (firstBatchSize > maxBytes) {
            if (!minOneBatch) return ReadResult.empty(logStartOffset, logEndOffset, segment.file(), position);
            length = firstBatchSize;
        } else {
            length = (int) Math.min(maxBytes, segment.size() - position);
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        segment.read(out, position);
        out.flip().limit(wholeBatchBytes(out, firstBatchSize));
        return ReadResult.copied(logStartOffset, logEndOffset, out.asReadOnlyBuffer(), segment.file(), position);
    }

    /** Length of the run of complete batches at the start of {@code b} (the first is known to be complete). */
    private static int wholeBatchBytes(ByteBuffer b, int firstBatchSize) {
        int end = firstBatchSize;
        while (end + LOG_OVERHEAD <= b.limit()) {
            long size = BatchLayout.size(b, end);
            if (size < HEADER_SIZE || end + size > b.limit()) break;
            end += (int) size;
        }
        return end;
    }

    /** See {@link PartitionLog#firstBatchWithMaxTimestampAtLeast}. */
    Optional<RecordBatchView> firstBatchWithMaxTimestampAtLeast(long timestamp, long logStartOffset) {
        try {
            for (LogSegment segment : segments) {
                if (segment.maxTimestamp() >= timestamp && segment.locateTimestamp(timestamp, logStartOffset, lookup)) {
                    return Optional.of(segment.readBatch(lookup.position(), lookup.size()));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("could not search " + dir + " by timestamp", e);
        }
    }

    /** See {@link PartitionLog#batchWithLargestTimestamp}. */
    Optional<RecordBatchView> batchWithLargestTimestamp() {
        LogSegment best = null;
        for (LogSegment segment : segments) {
            if (segment.maxTimestamp() > (best == null ? NO_TIMESTAMP : best.maxTimestamp())) best = segment;
        }
        if (best == null) return Optional.empty();
        try {
            return best.locate(best.offsetOfMaxTimestamp(), lookup)
                    ? Optional.of(best.readBatch(lookup.position(), lookup.size()))
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + dir, e);
        }
    }

    /** See {@link PartitionLog#batchesFrom}: from {@code from} up to {@code to}, over the segments as they are now. */
    Iterable<RecordBatchView> batchesFrom(long from, long to) {
        List<LogSegment> snapshot = segments.snapshot();
        int first = Math.max(0, segments.floorIndex(from));
        return () -> new LogBatchIterator(snapshot, first, from, to, new BatchScanner(ITERATOR_CHUNK_BYTES, true));
    }
}
