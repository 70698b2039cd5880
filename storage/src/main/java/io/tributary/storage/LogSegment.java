package io.tributary.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static io.tributary.storage.BatchLayout.HEADER_SIZE;
import static io.tributary.storage.BatchLayout.NO_TIMESTAMP;

/**
 * One segment: a {@code .log} file of v2 batches plus its {@code .index} and {@code .timeindex}, all named by the
 * 20-digit base offset. Only the last segment of a log is appended to; the others are sealed (read-only indexes).
 * Index maintenance follows Kafka's LogSegment so the files are interchangeable with Kafka's.
 */
final class LogSegment implements Closeable {
    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final long baseOffset;
    private final Path logPath;
    private final FileChannel channel;
    /** The same channel, reference counted so zero-copy sends outlive deletion of this segment. */
    private final SegmentFile file;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final int indexIntervalBytes;
    /** Wall time this segment object was made; the segment.ms clock when batches carry no timestamps. */
    private final long createdMs;

    private int size;
    private long maxTimestamp = NO_TIMESTAMP;
    private long offsetOfMaxTimestamp = -1;
    private int bytesSinceLastIndexEntry;
    private long firstBatchMaxTimestamp = UNKNOWN;
    private boolean indexesNeedRebuild;
    private boolean sealed;
    /** When data was last written (file mtime when opened): retention's clock for batches without timestamps. */
    private long lastModifiedMs;

    private LogSegment(Path dir, long baseOffset, FileChannel channel, int indexIntervalBytes, long createdMs,
                       String fileSuffix) throws IOException {
        this.baseOffset = baseOffset;
        this.logPath = dir.resolve(fileName(baseOffset, LOG_SUFFIX) + fileSuffix);
        this.channel = channel;
        this.file = new SegmentFile(channel);
        this.offsetIndex = new OffsetIndex(dir.resolve(fileName(baseOffset, INDEX_SUFFIX) + fileSuffix), baseOffset);
        this.timeIndex = new TimeIndex(dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX) + fileSuffix), baseOffset);
        this.indexIntervalBytes = indexIntervalBytes;
        this.createdMs = createdMs;
        this.lastModifiedMs = createdMs;
        long bytes = channel.size();
        if (bytes > Integer.MAX_VALUE) throw new IOException(logPath + " is larger than 2 GiB");
        this.size = (int) bytes;
    }

    static String fileName(long offset, String suffix) {
        // By hand: String.format is slow, above all before the JIT has warmed up, and start-up names thousands.
        String digits = Long.toString(offset);
        StringBuilder name = new StringBuilder(20 + suffix.length());
        for (int i = digits.length(); i < 20; i++) name.append('0');
        return name.append(digits).append(suffix).toString();
    }

    /** A new, empty active segment (any leftover files of that name are replaced). */
    static LogSegment create(Path dir, long baseOffset, int indexIntervalBytes, long nowMs) throws IOException {
        return create(dir, baseOffset, indexIntervalBytes, nowMs, "");
    }

    /**
     * A new, empty segment whose three files carry {@code fileSuffix} after their usual names (the cleaner writes
     * {@code 00000000000000000000.log.cleaned} and renames it into place later).
     */
    static LogSegment create(Path dir, long baseOffset, int indexIntervalBytes, long nowMs, String fileSuffix)
            throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve(fileName(baseOffset, LOG_SUFFIX) + fileSuffix),
                StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        LogSegment segment;
        try {
            segment = new LogSegment(dir, baseOffset, ch, indexIntervalBytes, nowMs, fileSuffix);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        try {
            segment.offsetIndex.reset();
            segment.timeIndex.reset();
        } catch (IOException | RuntimeException e) {
            segment.close();
            throw e;
        }
        return segment;
    }

    /**
     * Opens an existing segment. Indexes that are missing, torn or fail the cheap sanity checks are emptied and
     * {@link #indexesNeedRebuild()} says so; the caller rebuilds them with a scan.
     */
    static LogSegment open(Path dir, long baseOffset, int indexIntervalBytes, long nowMs, boolean sealed,
                           long nextSegmentBase) throws IOException {
        Path logFile = dir.resolve(fileName(baseOffset, LOG_SUFFIX));
        FileChannel ch = FileChannel.open(logFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        LogSegment segment;
        try {
            segment = new LogSegment(dir, baseOffset, ch, indexIntervalBytes, nowMs, "");
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        try {
            segment.lastModifiedMs = Files.getLastModifiedTime(logFile).toMillis();
            segment.loadIndexes(sealed, nextSegmentBase);
        } catch (IOException | RuntimeException e) {
            segment.close();
            throw e;
        }
        return segment;
    }

    private void loadIndexes(boolean seal, long nextSegmentBase) throws IOException {
        boolean ok = offsetIndex.load(seal) && offsetIndex.isSane(size, nextSegmentBase);
        ok = timeIndex.load(seal) && timeIndex.isSane(nextSegmentBase) && ok;
        sealed = seal;
        if (ok) {
            maxTimestamp = timeIndex.lastTimestamp();
            offsetOfMaxTimestamp = timeIndex.lastOffset();
        } else {
            indexesNeedRebuild = true;
        }
    }

    long baseOffset() {
        return baseOffset;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    FileChannel channel() {
        return channel;
    }

    SegmentFile file() {
        return file;
    }

    Path logPath() {
        return logPath;
    }

    boolean indexesNeedRebuild() {
        return indexesNeedRebuild;
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    long offsetOfMaxTimestamp() {
        return offsetOfMaxTimestamp;
    }

    boolean isSealed() {
        return sealed;
    }

    /**
     * Kafka's largestTimestamp for time retention: the newest batch timestamp, or when no batch carries one, the
     * last time data was written.
     */
    long largestTimestamp() {
        return maxTimestamp > 0 ? maxTimestamp : lastModifiedMs;
    }

    void touch(long nowMs) {
        lastModifiedMs = nowMs;
    }

    long lastModifiedMs() {
        return lastModifiedMs;
    }

    /** Sets the last-modified time, in memory and on the log file (the cleaner keeps its sources' time). */
    void lastModifiedMs(long ms) throws IOException {
        lastModifiedMs = ms;
        Files.setLastModifiedTime(logPath, java.nio.file.attribute.FileTime.fromMillis(ms));
    }

    // ---- appending -------------------------------------------------------------------------------------------

    /** Kafka's roll rule: full, too old (by first batch timestamp, else by age), or offsets past an int. */
    boolean shouldRoll(int appendBytes, long appendMaxTimestamp, long appendLastOffset, long nowMs, LogConfig config)
            throws IOException {
        if (size == 0) return false;
        if ((long) size + appendBytes > config.segmentBytes()) return true;
        if (appendLastOffset - baseOffset > Integer.MAX_VALUE) return true;
        long first = firstBatchMaxTimestamp();
        long waited = first >= 0 ? appendMaxTimestamp - first : nowMs - createdMs;
        return waited > config.segmentMs();
    }

    /**
     * Writes already validated batches at the end and indexes them. On failure the segment is put back as it was.
     *
     * @param largestOffset       last offset of the data
     * @param maxTimestampOfData  largest batch maxTimestamp in the data
     * @param offsetOfMaxTimestamp last offset of the first batch carrying that timestamp
     */
    void append(ByteBuffer data, long largestOffset, long maxTimestampOfData, long offsetOfMaxTimestamp)
            throws IOException {
        int position = size;
        int indexEntries = offsetIndex.entries();
        int timeEntries = timeIndex.entries();
        long oldMax = maxTimestamp;
        long oldOffsetOfMax = this.offsetOfMaxTimestamp;
        int oldBytesSince = bytesSinceLastIndexEntry;
        int bytes = data.remaining();
        try {
            IoUtil.writeFully(channel, data, position);
            size = position + bytes;
            updateIndexes(position, bytes, largestOffset, maxTimestampOfData, offsetOfMaxTimestamp);
        } catch (IOException | RuntimeException e) {
            size = position;
            maxTimestamp = oldMax;
            this.offsetOfMaxTimestamp = oldOffsetOfMax;
            bytesSinceLastIndexEntry = oldBytesSince;
            try {
                channel.truncate(position);
                offsetIndex.truncateToEntries(indexEntries);
                timeIndex.truncateToEntries(timeEntries);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Indexes one batch found by a recovery scan (the log bytes are already there). */
    void indexRecoveredBatch(int position, int bytes, long lastOffset, long batchMaxTimestamp) throws IOException {
        updateIndexes(position, bytes, lastOffset, batchMaxTimestamp, lastOffset);
    }

    /** Kafka's rule: an index entry for the first append more than index.interval.bytes after the previous one. */
    private void updateIndexes(int position, int bytes, long largestOffset, long maxTs, long offsetOfMaxTs)
            throws IOException {
        if (maxTs > maxTimestamp) {
            maxTimestamp = maxTs;
            offsetOfMaxTimestamp = offsetOfMaxTs;
        }
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            offsetIndex.append(largestOffset, position);
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += bytes;
    }

    /** Forgets both indexes and the timestamp summary, before a rebuild scan. */
    void resetIndexes() throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        maxTimestamp = NO_TIMESTAMP;
        offsetOfMaxTimestamp = -1;
        bytesSinceLastIndexEntry = 0;
        indexesNeedRebuild = false;
        sealed = false;
    }

    /** Cuts the log file at a batch boundary found by a recovery scan (indexes were rebuilt by that scan). */
    void truncateToBytes(int validBytes) throws IOException {
        channel.truncate(validBytes);
        size = validBytes;
        if (size == 0) firstBatchMaxTimestamp = UNKNOWN;
    }

    /**
     * Removes every batch holding offsets >= {@code offset} (a batch straddling it goes entirely).
     *
     * @return the next offset of the segment afterwards, or -1 if nothing was removed
     */
    long truncateTo(long offset, BatchScanner scanner) throws IOException {
        if (!locate(offset, scanner)) return -1;
        long cutBase = scanner.baseOffset();
        int cutPosition = (int) scanner.position();
        unseal();
        channel.truncate(cutPosition);
        size = cutPosition;
        offsetIndex.truncateToOffset(cutBase);
        timeIndex.truncateToOffset(cutBase);
        recomputeMaxTimestamp(scanner);
        bytesSinceLastIndexEntry = 0;
        if (size == 0) firstBatchMaxTimestamp = UNKNOWN;
        return cutBase;
    }

    /** The time index may lag the true maximum by up to one index interval: rescan from its last entry. */
    private void recomputeMaxTimestamp(BatchScanner scanner) throws IOException {
        maxTimestamp = timeIndex.lastTimestamp();
        offsetOfMaxTimestamp = timeIndex.lastOffset();
        int from = offsetOfMaxTimestamp < 0 ? 0 : offsetIndex.lookupPosition(offsetOfMaxTimestamp);
        scanner.reset(channel, from, size);
        while (scanner.next(false)) {
            if (scanner.maxTimestamp() > maxTimestamp) {
                maxTimestamp = scanner.maxTimestamp();
                offsetOfMaxTimestamp = scanner.lastOffset();
            }
        }
    }

    /** The segment gets no more appends: record the final max timestamp, as Kafka does, and map the indexes. */
    void seal() throws IOException {
        if (sealed) return;
        timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
        offsetIndex.seal();
        timeIndex.seal();
        sealed = true;
    }

    void unseal() throws IOException {
        if (!sealed) return;
        offsetIndex.unseal();
        timeIndex.unseal();
        sealed = false;
        bytesSinceLastIndexEntry = 0;
    }

    /** Kafka's LogSegment.close: persist the max timestamp so a clean restart need not scan for it. */
    void appendFinalTimeIndexEntry() throws IOException {
        timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
    }

    // ---- reading ---------------------------------------------------------------------------------------------

    /** File position from which a forward scan reaches the batch holding {@code offset}. */
    int lookupPosition(long offset) {
        return offsetIndex.lookupPosition(offset);
    }

    /** Start of an indexed batch at or before file position {@code position} (0 if none is indexed). */
    int indexedBatchAtOrBefore(long position) {
        return offsetIndex.floorPosition(position);
    }

    /** Puts the scanner on the first batch whose last offset is >= {@code offset}; false if there is none here. */
    boolean locate(long offset, BatchScanner scanner) throws IOException {
        scanner.reset(channel, offsetIndex.lookupPosition(offset), size);
        while (scanner.next(false)) {
            if (scanner.lastOffset() >= offset) return true;
        }
        return false;
    }

    /**
     * Puts the scanner on the first batch with maxTimestamp >= {@code timestamp} and last offset >= {@code minOffset}.
     * The time index gives a starting point no later than that batch; the offset index turns it into a position.
     */
    boolean locateTimestamp(long timestamp, long minOffset, BatchScanner scanner) throws IOException {
        int entry = timeIndex.floorEntry(timestamp);
        int from = entry < 0 ? 0 : offsetIndex.lookupPosition(timeIndex.offset(entry));
        if (minOffset > baseOffset) from = Math.max(from, offsetIndex.lookupPosition(minOffset));
        scanner.reset(channel, from, size);
        while (scanner.next(false)) {
            if (scanner.maxTimestamp() >= timestamp && scanner.lastOffset() >= minOffset) return true;
        }
        return false;
    }

    /**
     * The offset after the last batch, found by scanning from the last index entry. Leaves the scanner stopped
     * so the caller can check {@link BatchScanner#stopReason()} for a tail that does not parse.
     */
    long readNextOffset(BatchScanner scanner) throws IOException {
        int from = offsetIndex.isEmpty() ? 0 : offsetIndex.position(offsetIndex.entries() - 1);
        scanner.reset(channel, from, size);
        long next = baseOffset;
        while (scanner.next(false)) {
            next = scanner.lastOffset() + 1;
        }
        return next;
    }

    void read(ByteBuffer dst, long position) throws IOException {
        IoUtil.readFully(channel, dst, position);
    }

    /** The whole batch at {@code position}, in a buffer of its own. */
    RecordBatchView readBatch(long position, int batchSize) throws IOException {
        ByteBuffer batch = ByteBuffer.allocate(batchSize);
        read(batch, position);
        return RecordBatchView.wrap(batch.flip());
    }

    /** maxTimestamp of the first batch (read once, then cached), or -1 if the segment is empty. */
    long firstBatchMaxTimestamp() throws IOException {
        if (firstBatchMaxTimestamp == UNKNOWN && size >= HEADER_SIZE) {
            ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
            read(header, 0);
            firstBatchMaxTimestamp = BatchLayout.maxTimestamp(header, 0);
        }
        return firstBatchMaxTimestamp;
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------

    /**
     * fsyncs the log file and both indexes. Safe on a worker thread while the owner appends: FileChannel allows
     * concurrent positional writes and force, and the indexes guard their channels.
     */
    void flush() throws IOException {
        channel.force(true);
        offsetIndex.flush();
        timeIndex.flush();
    }

    /**
     * Appends whole batches the cleaner produced (offsets ascending, each batch already final) with one write,
     * indexing every batch. Used only on segments not yet visible to readers.
     */
    void appendCleaned(ByteBuffer batches) throws IOException {
        int position = size;
        ByteBuffer b = batches.duplicate();
        int start = b.position();
        IoUtil.writeFully(channel, b, position);
        size = position + (batches.limit() - start);
        for (int at = start; at < batches.limit(); ) {
            int batchSize = BatchLayout.size(batches, at);
            updateIndexes(position + (at - start), batchSize, BatchLayout.lastOffset(batches, at),
                    BatchLayout.maxTimestamp(batches, at), BatchLayout.lastOffset(batches, at));
            at += batchSize;
        }
    }

    @Override
    public void close() throws IOException {
        try (offsetIndex; timeIndex) {
            // A zero-copy send still queued keeps the log channel open until it is done (see SegmentFile).
            file.releaseSegment();
        }
    }

    void delete() throws IOException {
        close();
        Files.deleteIfExists(logPath);
        offsetIndex.delete();
        timeIndex.delete();
    }

    @Override
    public String toString() {
        return "LogSegment[" + logPath.getFileName() + ", bytes=" + size + "]";
    }
}
