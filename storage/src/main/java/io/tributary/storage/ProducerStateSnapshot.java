package io.tributary.storage;

import io.tributary.storage.ProducerStateEntry.BatchMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Producer state saved as {@code <20-digit offset>.snapshot}: the state after every batch below that offset.
 * Binary, versioned and CRC-protected so a torn or foreign file is skipped rather than trusted:
 * <pre>
 * version int16 | crc32c int32 (of everything after it) | producerCount int32 |
 *   producerCount x { producerId int64 | epoch int16 | lastTimestamp int64 | currentTxnFirstOffset int64 |
 *                     batchCount int8 | batchCount x { firstSeq int32 | lastSeq int32 | firstOffset int64 |
 *                                                      lastOffset int64 | timestamp int64 } }
 * </pre>
 */
final class ProducerStateSnapshot {
    static final String SUFFIX = ".snapshot";
    /** Keep the newest two, so a torn newest one still leaves a fallback. */
    static final int RETAINED = 2;

    private static final Logger log = LoggerFactory.getLogger(ProducerStateSnapshot.class);
    private static final short VERSION = 1;
    private static final int HEADER = 2 + 4;
    private static final int PRODUCER_BYTES = 8 + 2 + 8 + 8 + 1;
    private static final int BATCH_BYTES = 4 + 4 + 8 + 8 + 8;

    record Loaded(long offset, List<ProducerStateEntry> entries) {
    }

    private ProducerStateSnapshot() {
    }

    static Path path(Path dir, long offset) {
        return dir.resolve(LogSegment.fileName(offset, SUFFIX));
    }

    static void write(Path dir, long offset, Collection<ProducerStateEntry> entries, boolean sync) throws IOException {
        int bytes = HEADER + 4;
        for (ProducerStateEntry e : entries) bytes += PRODUCER_BYTES + e.batches().size() * BATCH_BYTES;
        ByteBuffer buf = ByteBuffer.allocate(bytes);
        buf.putShort(VERSION).putInt(0).putInt(entries.size());
        for (ProducerStateEntry e : entries) {
            buf.putLong(e.producerId()).putShort(e.epoch()).putLong(e.lastTimestamp())
                    .putLong(e.currentTxnFirstOffset()).put((byte) e.batches().size());
            for (BatchMetadata b : e.batches()) {
                buf.putInt(b.firstSeq()).putInt(b.lastSeq()).putLong(b.firstOffset()).putLong(b.lastOffset())
                        .putLong(b.timestamp());
            }
        }
        buf.putInt(2, (int) crc(buf, HEADER, bytes));
        IoUtil.atomicWrite(path(dir, offset), buf.flip(), sync);
    }

    /** The newest readable snapshot at or below {@code maxOffset}. */
    static Optional<Loaded> readLatest(Path dir, long maxOffset) throws IOException {
        return readLatest(dir, offsets(dir), maxOffset);
    }

    /** As {@link #readLatest(Path, long)}, given the snapshot offsets already listed (ascending). */
    static Optional<Loaded> readLatest(Path dir, List<Long> offsets, long maxOffset) throws IOException {
        for (int i = offsets.size() - 1; i >= 0; i--) {
            long offset = offsets.get(i);
            if (offset > maxOffset) continue;
            Path file = path(dir, offset);
            List<ProducerStateEntry> entries = parse(ByteBuffer.wrap(Files.readAllBytes(file)));
            if (entries != null) return Optional.of(new Loaded(offset, entries));
            log.warn("Ignoring unreadable producer state snapshot {}", file);
        }
        return Optional.empty();
    }

    /** Offsets of the snapshot files in {@code dir}, ascending. */
    static List<Long> offsets(Path dir) throws IOException {
        List<Long> offsets = new ArrayList<>();
        // No glob: it compiles a pattern per call, and start-up lists thousands of directories.
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                long offset = LogFiles.offsetOf(f.getFileName().toString(), SUFFIX);
                if (offset >= 0) offsets.add(offset);
            }
        }
        offsets.sort(null);
        return offsets;
    }

    /** Deletes snapshots for offsets above {@code offset} (they describe batches no longer in the log). */
    static void deleteAbove(Path dir, long offset) throws IOException {
        for (long o : offsets(dir)) {
            if (o > offset) Files.deleteIfExists(path(dir, o));
        }
    }

    static void deleteAll(Path dir) throws IOException {
        for (long o : offsets(dir)) Files.deleteIfExists(path(dir, o));
    }

    static void retainNewest(Path dir) throws IOException {
        List<Long> offsets = offsets(dir);
        for (int i = 0; i < offsets.size() - RETAINED; i++) Files.deleteIfExists(path(dir, offsets.get(i)));
    }

    /** The entries, or null if the bytes are not a valid snapshot. */
    static List<ProducerStateEntry> parse(ByteBuffer buf) {
        try {
            if (buf.remaining() < HEADER + 4 || buf.getShort(0) != VERSION) return null;
            if (Integer.toUnsignedLong(buf.getInt(2)) != crc(buf, HEADER, buf.limit())) return null;
            buf.position(HEADER);
            int count = buf.getInt();
            if (count < 0) return null;
            List<ProducerStateEntry> entries = new ArrayList<>(Math.min(count, 1 << 16));
            for (int i = 0; i < count; i++) {
                ProducerStateEntry e = new ProducerStateEntry(buf.getLong(), buf.getShort());
                long lastTimestamp = buf.getLong();
                long txnFirstOffset = buf.getLong();
                int batchCount = buf.get();
                if (batchCount < 0) return null;
                List<BatchMetadata> batches = new ArrayList<>(batchCount);
                for (int b = 0; b < batchCount; b++) {
                    batches.add(new BatchMetadata(buf.getInt(), buf.getInt(), buf.getLong(), buf.getLong(), buf.getLong()));
                }
                e.restore(lastTimestamp, txnFirstOffset, batches);
                entries.add(e);
            }
            return buf.hasRemaining() ? null : entries;
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static long crc(ByteBuffer buf, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), buf.arrayOffset() + from, to - from);
        return crc.getValue();
    }
}
