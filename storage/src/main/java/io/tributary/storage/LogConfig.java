package io.tributary.storage;

/**
 * The settings of one partition log, named after Kafka's topic configs.
 *
 * @param segmentBytes       segment.bytes: roll the active segment once it would grow past this size
 * @param segmentMs          segment.ms: roll the active segment once its first batch is this old
 * @param indexIntervalBytes index.interval.bytes: bytes of log between two sparse index entries
 * @param maxMessageBytes    max.message.bytes: the largest record batch accepted by an append
 * @param logAppendTime      message.timestamp.type=LogAppendTime: the broker stamps batches on append
 * @param flushMessages      flush.messages: fsync after this many appended records (Long.MAX_VALUE: never)
 * @param flushMs            flush.ms: fsync when the oldest unflushed append is this old (Long.MAX_VALUE: never)
 * @param cleanup            retention and compaction: cleanup.policy, retention.*, delete.retention.ms, compaction lags
 */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        int indexIntervalBytes,
        int maxMessageBytes,
        boolean logAppendTime,
        long flushMessages,
        long flushMs,
        CleanupConfig cleanup) {

    public static final LogConfig DEFAULT = new LogConfig(
            1024 * 1024 * 1024, 7L * 24 * 60 * 60 * 1000, 4096, 1024 * 1024 + 12, false, Long.MAX_VALUE, Long.MAX_VALUE);

    /** A config with Kafka's default retention and cleanup ({@link CleanupConfig#DEFAULT}). */
    public LogConfig(int segmentBytes, long segmentMs, int indexIntervalBytes, int maxMessageBytes,
                     boolean logAppendTime, long flushMessages, long flushMs) {
        this(segmentBytes, segmentMs, indexIntervalBytes, maxMessageBytes, logAppendTime, flushMessages, flushMs,
                CleanupConfig.DEFAULT);
    }

    public LogConfig {
        if (cleanup == null) throw new IllegalArgumentException("cleanup must not be null");
        if (segmentBytes < 14) throw new IllegalArgumentException("segment.bytes must be at least 14, was " + segmentBytes);
        if (segmentMs < 1) throw new IllegalArgumentException("segment.ms must be at least 1, was " + segmentMs);
        if (indexIntervalBytes < 0) throw new IllegalArgumentException("index.interval.bytes must be at least 0");
        if (maxMessageBytes < 0) throw new IllegalArgumentException("max.message.bytes must be at least 0");
        if (flushMessages < 1) throw new IllegalArgumentException("flush.messages must be at least 1");
        if (flushMs < 0) throw new IllegalArgumentException("flush.ms must be at least 0");
    }

    public LogConfig withSegmentBytes(int bytes) {
        return new LogConfig(bytes, segmentMs, indexIntervalBytes, maxMessageBytes, logAppendTime, flushMessages, flushMs, cleanup);
    }

    public LogConfig withSegmentMs(long ms) {
        return new LogConfig(segmentBytes, ms, indexIntervalBytes, maxMessageBytes, logAppendTime, flushMessages, flushMs, cleanup);
    }

    public LogConfig withLogAppendTime(boolean on) {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxMessageBytes, on, flushMessages, flushMs, cleanup);
    }

    public LogConfig withIndexIntervalBytes(int bytes) {
        return new LogConfig(segmentBytes, segmentMs, bytes, maxMessageBytes, logAppendTime, flushMessages, flushMs, cleanup);
    }

    public LogConfig withMaxMessageBytes(int bytes) {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, bytes, logAppendTime, flushMessages, flushMs, cleanup);
    }

    public LogConfig withFlushMessages(long messages) {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxMessageBytes, logAppendTime, messages, flushMs, cleanup);
    }

    public LogConfig withFlushMs(long ms) {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxMessageBytes, logAppendTime, flushMessages, ms, cleanup);
    }

    public LogConfig withCleanup(CleanupConfig c) {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxMessageBytes, logAppendTime, flushMessages,
                flushMs, c);
    }
}
