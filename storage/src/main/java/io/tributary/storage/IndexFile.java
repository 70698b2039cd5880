package io.tributary.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file of fixed-size index entries with Kafka's layout. While the segment is active the entries live in a heap
 * buffer and each new entry is also written to the file with one positional write, so the file always has exactly
 * {@code entries * entrySize} bytes (no preallocation: a crash leaves no zero-filled tail to mistake for entries).
 * Once the segment is sealed the file is mapped read-only, so inactive segments cost page cache, not heap.
 *
 * <p>Threading: entries are read and written by the log's owner only. {@link #flush()} may also run on a worker
 * thread (a background fsync) while the owner appends, seals or closes, so everything that touches the file channel
 * or the dirty flag holds this object's monitor; an entry is written every index.interval.bytes of log, so the
 * uncontended monitor costs the append path nothing measurable.
 */
abstract class IndexFile implements Closeable {
    private static final int INITIAL_CAPACITY = 1024;
    private static final ByteBuffer NO_ENTRIES = ByteBuffer.allocate(0);

    protected final long baseOffset;
    private final Path path;
    private final int entrySize;
    /** One entry, filled by the subclass before {@link #writeEntry()}. */
    protected final ByteBuffer entry;

    private ByteBuffer entries = NO_ENTRIES;
    private int count;
    private FileChannel channel;
    private boolean sealed;
    private boolean dirty;

    IndexFile(Path path, long baseOffset, int entrySize) {
        this.path = path;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        this.entry = ByteBuffer.allocate(entrySize);
    }

    Path path() {
        return path;
    }

    /**
     * Loads the file, mapped read-only if {@code seal}. A missing file or one with a partial entry is reset to empty.
     *
     * @return false if the file had to be reset, so the caller must rebuild it from the log
     */
    synchronized boolean load(boolean seal) throws IOException {
        if (!Files.exists(path)) {
            reset();
            return false;
        }
        long bytes = Files.size(path);
        if (bytes % entrySize != 0 || bytes > Integer.MAX_VALUE) {
            reset();
            return false;
        }
        count = (int) (bytes / entrySize);
        if (seal) {
            mapReadOnly();
        } else {
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            entries = ByteBuffer.allocate(Math.max(INITIAL_CAPACITY, (int) bytes));
            IoUtil.readFully(channel, entries.duplicate().limit((int) bytes), 0);
            sealed = false;
        }
        return true;
    }

    /** Empties the index (file included) and makes it writable. */
    synchronized void reset() throws IOException {
        closeChannel();
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        channel.truncate(0);
        entries = ByteBuffer.allocate(INITIAL_CAPACITY);
        count = 0;
        sealed = false;
        dirty = true;
    }

    int entries() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    protected int intAt(int index, int field) {
        return entries.getInt(index * entrySize + field);
    }

    protected long longAt(int index, int field) {
        return entries.getLong(index * entrySize + field);
    }

    /** Appends {@link #entry} to memory and file. */
    protected synchronized void writeEntry() throws IOException {
        unseal();
        int at = count * entrySize;
        if (at + entrySize > entries.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(entries.capacity() * 2, at + entrySize));
            bigger.put(0, entries, 0, at);
            entries = bigger;
        }
        entries.put(at, entry, 0, entrySize);
        IoUtil.writeFully(channel, entry.clear(), at);
        count++;
        dirty = true;
    }

    /** Keeps the first {@code n} entries. */
    synchronized void truncateToEntries(int n) throws IOException {
        if (n >= count) return;
        unseal();
        count = n;
        channel.truncate((long) n * entrySize);
        dirty = true;
    }

    /** Switches to a read-only mapping; the segment will get no more entries. */
    synchronized void seal() throws IOException {
        if (sealed) return;
        mapReadOnly();
    }

    /** Makes a sealed index writable again (the segment became active after a truncation). */
    synchronized void unseal() throws IOException {
        if (!sealed) return;
        int bytes = count * entrySize;
        ByteBuffer heap = ByteBuffer.allocate(Math.max(INITIAL_CAPACITY, bytes));
        heap.put(0, entries, 0, bytes);
        entries = heap;
        if (channel == null) channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        sealed = false;
    }

    /** fsyncs the entries written since the last flush; a sealed index then lets go of its file handle. */
    synchronized void flush() throws IOException {
        if (channel == null) return;
        if (dirty) {
            channel.force(true);
            dirty = false;
        }
        if (sealed) closeChannel();
    }

    @Override
    public synchronized void close() throws IOException {
        closeChannel();
        entries = NO_ENTRIES;
    }

    synchronized void delete() throws IOException {
        close();
        Files.deleteIfExists(path);
    }

    private void mapReadOnly() throws IOException {
        int bytes = count * entrySize;
        if (bytes == 0) {
            entries = NO_ENTRIES;
        } else if (channel != null) {
            entries = channel.map(FileChannel.MapMode.READ_ONLY, 0, bytes);
        } else {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                entries = ch.map(FileChannel.MapMode.READ_ONLY, 0, bytes);
            }
        }
        sealed = true;
        // Keep a dirty channel until flush() has fsynced it; a clean one is not needed any more.
        if (!dirty) closeChannel();
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            try {
                channel.close();
            } finally {
                channel = null;
            }
        }
    }

    protected static final int BY_OFFSET = 0;
    protected static final int BY_TIMESTAMP = 1;

    /** The sort key {@code kind} of entry {@code index}; both keys grow with the index. */
    protected abstract long key(int index, int kind);

    /** Index of the first entry whose key is greater than {@code target} (binary search, no allocation). */
    protected int upperBound(long target, int kind) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (key(mid, kind) <= target) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
