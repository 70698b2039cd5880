package io.tributary.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The aborted transactions of a partition, kept in Kafka's {@code .txnindex} format: one file per segment, named by
 * the base offset of the segment the abort marker went to, holding 34-byte entries
 * {@code version int16 (0) | producerId int64 | firstOffset int64 | lastOffset int64 | lastStableOffset int64}.
 *
 * <p>Aborts are rare, so every entry is also held in memory and a fetch never reads these files. They are written
 * without fsync: after an unclean stop, entries past the recovered producer state are rebuilt by replaying the log
 * ({@link #truncateFrom}). Owner only.
 */
final class AbortedTxnIndex {
    static final String SUFFIX = ".txnindex";
    private static final int ENTRY_BYTES = 34;
    private static final short VERSION = 0;

    private final Path dir;
    /** Segment base offset -> its entries, in marker order. */
    private final TreeMap<Long, List<AbortedTxn>> bySegment = new TreeMap<>();

    private AbortedTxnIndex(Path dir) {
        this.dir = dir;
    }

    /** Reads every index file of {@code dir}; a torn trailing entry is ignored. */
    static AbortedTxnIndex load(Path dir) throws IOException {
        AbortedTxnIndex index = new AbortedTxnIndex(dir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                long base = LogFiles.offsetOf(f.getFileName().toString(), SUFFIX);
                if (base < 0) continue;
                ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(f));
                List<AbortedTxn> entries = new ArrayList<>();
                while (buf.remaining() >= ENTRY_BYTES) {
                    if (buf.getShort() != VERSION) break;
                    entries.add(new AbortedTxn(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong()));
                }
                if (!entries.isEmpty()) index.bySegment.put(base, entries);
            }
        }
        return index;
    }

    void append(long segmentBase, AbortedTxn txn) throws IOException {
        ByteBuffer entry = ByteBuffer.allocate(ENTRY_BYTES);
        entry.putShort(VERSION).putLong(txn.producerId()).putLong(txn.firstOffset()).putLong(txn.lastOffset())
                .putLong(txn.lastStableOffset()).flip();
        try (FileChannel ch = FileChannel.open(path(segmentBase), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (entry.hasRemaining()) ch.write(entry);
        }
        bySegment.computeIfAbsent(segmentBase, b -> new ArrayList<>()).add(txn);
    }

    /**
     * The aborted transactions that overlap {@code [fetchOffset, upperBound)}: what a read_committed fetch of those
     * offsets must report so the consumer can drop the aborted batches.
     */
    List<AbortedTxn> collect(long fetchOffset, long upperBound) {
        List<AbortedTxn> found = new ArrayList<>();
        for (List<AbortedTxn> entries : bySegment.values()) {
            for (AbortedTxn t : entries) {
                if (t.lastOffset() >= fetchOffset && t.firstOffset() < upperBound) found.add(t);
            }
        }
        return found;
    }

    /** Forgets every abort whose marker is at or above {@code offset} (truncation, or replay about to re-add it). */
    void truncateFrom(long offset) throws IOException {
        for (Map.Entry<Long, List<AbortedTxn>> e : new ArrayList<>(bySegment.entrySet())) {
            List<AbortedTxn> kept = new ArrayList<>();
            for (AbortedTxn t : e.getValue()) {
                if (t.lastOffset() < offset) kept.add(t);
            }
            if (kept.size() != e.getValue().size()) rewrite(e.getKey(), kept);
        }
    }

    /** Drops the files whose every abort ended below the log start: no fetch can reach them any more. */
    void deleteBelow(long logStartOffset) throws IOException {
        for (Map.Entry<Long, List<AbortedTxn>> e : new ArrayList<>(bySegment.entrySet())) {
            boolean allBelow = e.getValue().stream().allMatch(t -> t.lastOffset() < logStartOffset);
            if (allBelow) rewrite(e.getKey(), List.of());
        }
    }

    void deleteAll() throws IOException {
        for (long base : new ArrayList<>(bySegment.keySet())) rewrite(base, List.of());
    }

    private void rewrite(long base, List<AbortedTxn> kept) throws IOException {
        Files.deleteIfExists(path(base));
        bySegment.remove(base);
        for (AbortedTxn t : kept) append(base, t);
    }

    private Path path(long base) {
        return dir.resolve(LogSegment.fileName(base, SUFFIX));
    }
}
