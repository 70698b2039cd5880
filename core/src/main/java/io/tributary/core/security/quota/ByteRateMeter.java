package io.tributary.core.security.quota;

/**
 * Bytes per second over a sliding window of {@code samples} samples of {@code sampleMs} each, computed as Kafka's
 * Rate does: the window counts at least {@code samples - 1} full samples, so a new client cannot burst far beyond its
 * quota. Shared by the connections of one quota entity across event loops, hence synchronized; only clients with a
 * quota ever reach one.
 */
final class ByteRateMeter {

    private final int samples;
    private final long sampleMs;
    private final long[] starts;
    private final double[] bytes;
    private int current;
    private volatile long lastRecordMs;

    ByteRateMeter(int samples, long sampleMs, long nowMs) {
        this.samples = samples;
        this.sampleMs = sampleMs;
        this.starts = new long[samples];
        this.bytes = new double[samples];
        java.util.Arrays.fill(starts, Long.MIN_VALUE);
        starts[0] = nowMs;
        lastRecordMs = nowMs;
    }

    /**
     * Records {@code amount} bytes and returns how long the client must wait for the rate to fall back to
     * {@code quota} bytes per second: 0 when within it, at most one whole window.
     */
    synchronized long recordAndThrottleMs(long nowMs, long amount, double quota) {
        lastRecordMs = nowMs;
        if (nowMs - starts[current] >= sampleMs) {
            current = (current + 1) % samples;
            starts[current] = nowMs;
            bytes[current] = 0;
        }
        bytes[current] += amount;
        double total = 0;
        long oldest = nowMs;
        for (int i = 0; i < samples; i++) {
            if (starts[i] != Long.MIN_VALUE && nowMs - starts[i] < samples * sampleMs) {
                total += bytes[i];
                oldest = Math.min(oldest, starts[i]);
            }
        }
        long windowMs = Math.max(nowMs - oldest, (samples - 1) * sampleMs);
        windowMs = Math.max(windowMs, 1);
        double rate = total * 1000.0 / windowMs;
        if (rate <= quota) {
            return 0;
        }
        long throttle = (long) ((rate - quota) / quota * windowMs);
        return Math.min(throttle, samples * sampleMs);
    }

    /** When bytes were last recorded (to drop meters no longer in use). */
    long lastRecordMs() {
        return lastRecordMs;
    }
}
