package io.tributary.storage;

/**
 * What background maintenance may remove from a log, with Kafka's topic config names and meanings.
 *
 * @param delete                 cleanup.policy contains delete: old segments go by retention.ms / retention.bytes
 *                               (neither delete nor compact: the log keeps everything)
 * @param compact                cleanup.policy contains compact: the cleaner keeps the newest record per key
 * @param retentionMs            retention.ms: a sealed segment whose newest record is older than this goes; -1 never
 * @param retentionBytes         retention.bytes: oldest segments go while the log is larger than this; -1 no limit
 * @param deleteRetentionMs      delete.retention.ms: how long a tombstone survives once the cleaner has seen it
 * @param minCompactionLagMs     min.compaction.lag.ms: a record stays uncompacted at least this long
 * @param maxCompactionLagMs     max.compaction.lag.ms: a dirty record is compacted at most this late, ratio or not
 * @param minCleanableDirtyRatio min.cleanable.dirty.ratio: share of dirty bytes that makes a log worth cleaning
 */
public record CleanupConfig(
        boolean delete,
        boolean compact,
        long retentionMs,
        long retentionBytes,
        long deleteRetentionMs,
        long minCompactionLagMs,
        long maxCompactionLagMs,
        double minCleanableDirtyRatio) {

    /** Kafka's defaults: delete only, 7 days, no size limit. */
    public static final CleanupConfig DEFAULT = new CleanupConfig(true, false, 7L * 24 * 60 * 60 * 1000, -1,
            24L * 60 * 60 * 1000, 0, Long.MAX_VALUE, 0.5);

    public CleanupConfig {
        if (retentionMs < -1) throw new IllegalArgumentException("retention.ms must be at least -1");
        if (retentionBytes < -1) throw new IllegalArgumentException("retention.bytes must be at least -1");
        if (deleteRetentionMs < 0) throw new IllegalArgumentException("delete.retention.ms must be at least 0");
        if (minCompactionLagMs < 0) throw new IllegalArgumentException("min.compaction.lag.ms must be at least 0");
        if (maxCompactionLagMs < 1) throw new IllegalArgumentException("max.compaction.lag.ms must be at least 1");
        if (!(minCleanableDirtyRatio >= 0 && minCleanableDirtyRatio <= 1)) {
            throw new IllegalArgumentException("min.cleanable.dirty.ratio must be between 0 and 1");
        }
    }

    /** Only compaction: the cleaner runs, retention does not. */
    public static CleanupConfig compacted() {
        return DEFAULT.withPolicy(false, true);
    }

    public CleanupConfig withPolicy(boolean deleteOn, boolean compactOn) {
        return new CleanupConfig(deleteOn, compactOn, retentionMs, retentionBytes, deleteRetentionMs,
                minCompactionLagMs, maxCompactionLagMs, minCleanableDirtyRatio);
    }

    public CleanupConfig withRetention(long ms, long bytes) {
        return new CleanupConfig(delete, compact, ms, bytes, deleteRetentionMs, minCompactionLagMs,
                maxCompactionLagMs, minCleanableDirtyRatio);
    }

    public CleanupConfig withDeleteRetentionMs(long ms) {
        return new CleanupConfig(delete, compact, retentionMs, retentionBytes, ms, minCompactionLagMs,
                maxCompactionLagMs, minCleanableDirtyRatio);
    }

    public CleanupConfig withCompactionLag(long minMs, long maxMs) {
        return new CleanupConfig(delete, compact, retentionMs, retentionBytes, deleteRetentionMs, minMs, maxMs,
                minCleanableDirtyRatio);
    }

    public CleanupConfig withMinCleanableDirtyRatio(double ratio) {
        return new CleanupConfig(delete, compact, retentionMs, retentionBytes, deleteRetentionMs, minCompactionLagMs,
                maxCompactionLagMs, ratio);
    }
}
