package io.tributary.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each leader epoch starts in this log: entries (epoch, startOffset), strictly increasing in both, persisted
 * to {@code leader-epoch-checkpoint} in the partition directory (Kafka's text layout: version, count, one
 * "epoch offset" line per entry), replaced atomically. Followers use it to find where their log diverges from the
 * leader's (OffsetsForLeaderEpoch).
 *
 * <p>The owner mutates it; the entries are an immutable list behind a volatile field and {@link #write()} is
 * serialised, so a worker thread (a segment deletion) may persist it while the owner appends: the file is always
 * written from the newest list.
 */
final class LeaderEpochCache {
    private static final Logger log = LoggerFactory.getLogger(LeaderEpochCache.class);
    private static final int VERSION = 0;
    private static final int REBUILD_BUFFER_BYTES = 256 * 1024;

    record Entry(int epoch, long startOffset) {
    }

    private final Path file;
    private volatile List<Entry> entries;

    private LeaderEpochCache(Path dir, List<Entry> entries) {
        this.file = dir.resolve(LogFiles.LEADER_EPOCH_CHECKPOINT);
        this.entries = List.copyOf(entries);
    }

    static LeaderEpochCache empty(Path dir) {
        return new LeaderEpochCache(dir, List.of());
    }

    /**
     * At open, after recovery: the checkpoint in {@code dir}, rebuilt from the batches if it is missing or
     * inconsistent, and fitted to the offsets the log holds (entries past a recovered log end go).
     */
    static LeaderEpochCache open(Path dir, SegmentList segments, long logStartOffset, long logEndOffset)
            throws IOException {
        LeaderEpochCache epochs = read(dir);
        if (epochs == null) {
            epochs = rebuild(dir, segments, REBUILD_BUFFER_BYTES);
            epochs.truncateFromStart(logStartOffset);
            epochs.write();
        }
        epochs.truncateFromEnd(logEndOffset);
        if (epochs.truncateFromStart(logStartOffset)) epochs.write();
        return epochs;
    }

    /** The cache in {@code dir}'s checkpoint, or null if the file is missing, unreadable or inconsistent. */
    static LeaderEpochCache read(Path dir) throws IOException {
        Path file = dir.resolve(LogFiles.LEADER_EPOCH_CHECKPOINT);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            String[] lines = text.split("\n");
            if (lines.length < 2 || Integer.parseInt(lines[0].trim()) != VERSION) {
                throw new IllegalArgumentException("unknown version or missing count");
            }
            int count = Integer.parseInt(lines[1].trim());
            if (count < 0 || lines.length - 2 < count) throw new IllegalArgumentException("declares " + count + " entries");
            List<Entry> loaded = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String[] parts = lines[2 + i].trim().split("\\s+");
                if (parts.length != 2) throw new IllegalArgumentException("line " + (i + 3) + " is not 'epoch offset'");
                Entry e = new Entry(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
                Entry prev = loaded.isEmpty() ? null : loaded.get(loaded.size() - 1);
                if (e.epoch() < 0 || e.startOffset() < 0
                        || prev != null && (e.epoch() <= prev.epoch() || e.startOffset() <= prev.startOffset())) {
                    throw new IllegalArgumentException("entry " + e + " does not follow " + prev);
                }
                loaded.add(e);
            }
            return new LeaderEpochCache(dir, loaded);
        } catch (IllegalArgumentException e) {
            log.warn("Ignoring inconsistent leader epoch checkpoint {} ({}); rebuilding it from the log", file,
                    e.getMessage());
            return null;
        }
    }

    /** Rebuilds the cache from the partition leader epochs stamped in the batches of {@code segments}. */
    static LeaderEpochCache rebuild(Path dir, SegmentList segments, int bufferBytes) throws IOException {
        List<Entry> rebuilt = new ArrayList<>();
        BatchScanner scanner = new BatchScanner(bufferBytes, false);
        for (LogSegment segment : segments) {
            scanner.reset(segment.channel(), 0, segment.size());
            while (scanner.next(false)) {
                int epoch = BatchLayout.partitionLeaderEpoch(scanner.buffer(), scanner.offset());
                Entry latest = rebuilt.isEmpty() ? null : rebuilt.get(rebuilt.size() - 1);
                if (epoch >= 0 && (latest == null || epoch > latest.epoch() && scanner.baseOffset() > latest.startOffset())) {
                    rebuilt.add(new Entry(epoch, scanner.baseOffset()));
                }
            }
        }
        log.info("Rebuilt the leader epoch cache of {} from the log: {}", dir, rebuilt);
        return new LeaderEpochCache(dir, rebuilt);
    }

    List<Entry> entries() {
        return entries;
    }

    /** The newest epoch, or -1 if none is known. */
    int latestEpoch() {
        List<Entry> e = entries;
        return e.isEmpty() ? EpochEndOffset.UNDEFINED_EPOCH : e.get(e.size() - 1).epoch();
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset} if it is newer than the latest epoch; entries at or
     * above that offset (left by an append that failed) make way. Persists the change. Returns whether it changed.
     */
    boolean assign(int epoch, long startOffset) throws IOException {
        if (epoch < 0 || epoch <= latestEpoch()) return false;
        List<Entry> next = new ArrayList<>(entries.size() + 1);
        for (Entry e : entries) {
            if (e.startOffset() < startOffset) next.add(e);
        }
        next.add(new Entry(epoch, startOffset));
        entries = List.copyOf(next);
        write();
        return true;
    }

    /** Kafka's truncateFromEnd: drops the epochs starting at or after {@code endOffset}. Persists the change. */
    boolean truncateFromEnd(long endOffset) throws IOException {
        List<Entry> current = entries;
        int keep = current.size();
        while (keep > 0 && current.get(keep - 1).startOffset() >= endOffset) keep--;
        if (keep == current.size()) return false;
        entries = List.copyOf(current.subList(0, keep));
        write();
        return true;
    }

    /**
     * Kafka's truncateFromStart, in memory only (the caller persists it with {@link #write()}): epochs that
     * started before {@code startOffset} go, except the latest of them, which now starts there.
     */
    boolean truncateFromStart(long startOffset) {
        List<Entry> current = entries;
        int firstKept = 0;
        while (firstKept < current.size() && current.get(firstKept).startOffset() < startOffset) firstKept++;
        if (firstKept == 0) return false;
        List<Entry> next = new ArrayList<>(current.size() - firstKept + 1);
        boolean startsThere = firstKept < current.size() && current.get(firstKept).startOffset() == startOffset;
        if (!startsThere) next.add(new Entry(current.get(firstKept - 1).epoch(), startOffset));
        next.addAll(current.subList(firstKept, current.size()));
        entries = List.copyOf(next);
        return true;
    }

    /** Forgets every epoch and persists that. */
    void clear() throws IOException {
        entries = List.of();
        write();
    }

    /**
     * OffsetsForLeaderEpoch, as Kafka answers it: for the latest epoch, (latest, logEndOffset); else the largest
     * epoch at or below {@code requested} and the start of the next higher one. An epoch older than the first known
     * one (its records were deleted from the start) ends where the first known one starts: (requested, that start).
     * Undefined when no epoch is known or {@code requested} is newer than any known.
     */
    EpochEndOffset endOffsetFor(int requested, long logEndOffset) {
        List<Entry> current = entries;
        if (current.isEmpty() || requested < 0) return EpochEndOffset.UNDEFINED;
        Entry latest = current.get(current.size() - 1);
        if (requested == latest.epoch()) return new EpochEndOffset(requested, logEndOffset);
        if (requested > latest.epoch()) return EpochEndOffset.UNDEFINED;
        if (requested < current.get(0).epoch()) return new EpochEndOffset(requested, current.get(0).startOffset());
        int floor = 0;
        while (floor + 1 < current.size() && current.get(floor + 1).epoch() <= requested) floor++;
        return new EpochEndOffset(current.get(floor).epoch(), current.get(floor + 1).startOffset());
    }

    /** Blocking: replaces the checkpoint file with the current entries (fsynced). Any thread. */
    synchronized void write() throws IOException {
        List<Entry> current = entries;
        StringBuilder text = new StringBuilder().append(VERSION).append('\n').append(current.size()).append('\n');
        for (Entry e : current) text.append(e.epoch()).append(' ').append(e.startOffset()).append('\n');
        IoUtil.atomicWrite(file, ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)), true);
    }

    @Override
    public String toString() {
        return "LeaderEpochCache" + entries;
    }
}
