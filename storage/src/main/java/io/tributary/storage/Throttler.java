package io.tributary.storage;

/**
 * Caps the cleaner's disk I/O (log.cleaner.io.max.bytes.per.second) so compaction never starves producers and
 * consumers: callers report the bytes they read or wrote, and are put to sleep while they are ahead of the allowed
 * rate. A token bucket holding at most one second's worth of bytes, so a long idle period buys no burst beyond that.
 * Shared by all cleaner threads.
 */
public final class Throttler {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double bytesPerSecond;
    private double tokens;
    private long lastRefill;
    private long throttledNanos;

    /** {@code bytesPerSecond} of Double.MAX_VALUE or infinity means unthrottled. */
    public Throttler(double bytesPerSecond) {
        if (!(bytesPerSecond > 0)) throw new IllegalArgumentException("the I/O rate must be positive");
        this.bytesPerSecond = bytesPerSecond;
        this.tokens = Math.min(bytesPerSecond, Double.MAX_VALUE);
        this.lastRefill = System.nanoTime();
    }

    public static Throttler unlimited() {
        return new Throttler(Double.MAX_VALUE);
    }

    public boolean isUnlimited() {
        return bytesPerSecond >= Double.MAX_VALUE;
    }

    /** Accounts {@code bytes} of I/O, sleeping until the bucket allows it. */
    public void acquire(long bytes) throws InterruptedException {
        if (isUnlimited() || bytes <= 0) return;
        long sleepNanos;
        synchronized (this) {
            refill();
            tokens -= bytes;
            if (tokens >= 0) return;
            sleepNanos = (long) (-tokens / bytesPerSecond * NANOS_PER_SECOND);
            throttledNanos += sleepNanos;
        }
        Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
    }

    /** Total time callers were made to sleep, for logs and tests. */
    public synchronized long throttledNanos() {
        return throttledNanos;
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(bytesPerSecond, tokens + (now - lastRefill) * bytesPerSecond / NANOS_PER_SECOND);
        lastRefill = now;
    }
}
