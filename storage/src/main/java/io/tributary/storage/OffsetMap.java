package io.tributary.storage;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Kafka's SkimpyOffsetMap: key -> latest offset, for the cleaner's dedupe pass. Keys are stored as their 128-bit
 * MD5 digest (as Kafka does: a collision between two live keys is astronomically unlikely, and the map stays a fixed
 * 24 bytes per slot however long the keys are), in open-addressed arrays with linear probing. Not thread-safe: one
 * per clean.
 */
final class OffsetMap {
    /** Bytes per slot: two longs of digest, one long of offset. */
    static final int BYTES_PER_ENTRY = 24;
    private static final double LOAD_FACTOR = 0.9;

    private final long[] hashHi;
    private final long[] hashLo;
    private final long[] offsets;
    private final int slots;
    private final int maxEntries;
    private final MessageDigest md5;
    private final byte[] keyBytes = new byte[256];
    private int entries;
    private long latestOffset = -1;

    /** A map that can hold {@code maxEntries} keys at Kafka's 0.9 load factor. */
    OffsetMap(int maxEntries) {
        if (maxEntries < 1) throw new IllegalArgumentException("an offset map needs room for at least one key");
        this.maxEntries = maxEntries;
        this.slots = (int) Math.min(Integer.MAX_VALUE - 8, (long) Math.ceil(maxEntries / LOAD_FACTOR) + 1);
        this.hashHi = new long[slots];
        this.hashLo = new long[slots];
        this.offsets = new long[slots];
        java.util.Arrays.fill(offsets, -1L);
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no MD5", e);
        }
    }

    /** How many keys a map of {@code bytes} (log.cleaner.dedupe.buffer.size) holds. */
    static int capacityFor(long bytes) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2, (long) (bytes / BYTES_PER_ENTRY * LOAD_FACTOR)));
    }

    int size() {
        return entries;
    }

    int maxEntries() {
        return maxEntries;
    }

    boolean isFull() {
        return entries >= maxEntries;
    }

    /** The largest offset put so far, -1 if none. */
    long latestOffset() {
        return latestOffset;
    }

    /** Records that {@code key} was seen at {@code offset}; offsets must be put in ascending order. */
    void put(ByteBuffer key, long offset) {
        if (!tryPut(key, offset)) throw new IllegalStateException("the offset map is full");
    }

    /** Like {@link #put}, but returns false (and records nothing) when the key is new and the map is full. */
    boolean tryPut(ByteBuffer key, long offset) {
        digest(key);
        int slot = find();
        if (offsets[slot] < 0) {
            if (entries >= maxEntries) return false;
            entries++;
            hashHi[slot] = hi;
            hashLo[slot] = lo;
        }
        offsets[slot] = offset;
        latestOffset = offset;
        return true;
    }

    /** The latest offset recorded for {@code key}, or -1. */
    long get(ByteBuffer key) {
        digest(key);
        return offsets[find()];
    }

    private long hi;
    private long lo;

    private void digest(ByteBuffer key) {
        ByteBuffer k = key.duplicate();
        md5.reset();
        if (k.hasArray()) {
            md5.update(k.array(), k.arrayOffset() + k.position(), k.remaining());
        } else {
            while (k.hasRemaining()) {
                int n = Math.min(keyBytes.length, k.remaining());
                k.get(keyBytes, 0, n);
                md5.update(keyBytes, 0, n);
            }
        }
        byte[] d = md5.digest();
        ByteBuffer b = ByteBuffer.wrap(d);
        hi = b.getLong();
        lo = b.getLong();
    }

    /** The slot holding the current digest, or the empty slot where it would go. */
    private int find() {
        int slot = (int) Long.remainderUnsigned(hi ^ (lo * 0x9E3779B97F4A7C15L), slots);
        while (offsets[slot] >= 0 && (hashHi[slot] != hi || hashLo[slot] != lo)) {
            slot = slot + 1 == slots ? 0 : slot + 1;
        }
        return slot;
    }
}
