package io.tributary.core.security;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed authentications per client address over one-minute windows; an address over the limit is refused
 * until its window ends, which bounds password guessing however many connections it opens.
 */
public final class AuthFailureLimiter {

    private static final long WINDOW_MS = 60_000;
    private final int limit;
    private final ConcurrentHashMap<String, long[]> windows = new ConcurrentHashMap<>();

    AuthFailureLimiter(int limit) {
        this.limit = limit;
    }

    /** Records one failure of {@code host}. */
    public void failed(String host) {
        long now = System.currentTimeMillis();
        windows.compute(host, (h, w) -> {
            if (w == null || now - w[0] >= WINDOW_MS) {
                return new long[]{now, 1};
            }
            w[1]++;
            return w;
        });
        if (windows.size() > 100_000) {
            windows.entrySet().removeIf(e -> now - e.getValue()[0] >= WINDOW_MS);
        }
    }

    /** True when {@code host} has used up its failures for the current window. */
    public boolean blocked(String host) {
        long[] w = windows.get(host);
        return w != null && System.currentTimeMillis() - w[0] < WINDOW_MS && w[1] >= limit;
    }
}
