package io.tributary.core.network;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Limits shared by every event loop's server of one listener: connections per client address
 * (max.connections.per.ip), idle time (connections.max.idle.ms) and requests in flight per connection. The MQTT and
 * HTTP gateways use the per-address count with their own keys.
 */
public final class ConnectionLimits {

    private final int maxPerIp;
    private final long maxIdleMs;
    private final int maxInFlight;
    private final ConcurrentHashMap<String, AtomicInteger> perIp = new ConcurrentHashMap<>();

    public ConnectionLimits(int maxPerIp, long maxIdleMs, int maxInFlight) {
        this.maxPerIp = maxPerIp;
        this.maxIdleMs = maxIdleMs;
        this.maxInFlight = maxInFlight;
    }

    /** No limits beyond the historical in-flight bound. */
    public static ConnectionLimits none() {
        return new ConnectionLimits(Integer.MAX_VALUE, -1, 100);
    }

    public long maxIdleMs() {
        return maxIdleMs;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    /** Only a limit of connections per client address (the gateways' listeners). */
    public static ConnectionLimits perIp(int maxPerIp) {
        return new ConnectionLimits(maxPerIp, -1, 100);
    }

    /** Counts a new connection from {@code ip}; false (and not counted) when the address is at its limit. */
    public boolean tryOpen(String ip) {
        AtomicInteger count = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
        if (count.incrementAndGet() > maxPerIp) {
            closed(ip);
            return false;
        }
        return true;
    }

    /** Uncounts a connection {@link #tryOpen} accepted. */
    public void closed(String ip) {
        perIp.computeIfPresent(ip, (k, c) -> c.decrementAndGet() <= 0 ? null : c);
    }

    /** Connections currently open from {@code ip} (tests). */
    public int open(String ip) {
        AtomicInteger c = perIp.get(ip);
        return c == null ? 0 : c.get();
    }
}
