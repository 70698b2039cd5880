package io.tributary.core.partition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a leader knows of its followers: each one's log end (its last fetch offset) and when it was last caught up.
 * A follower is caught up when its fetch reaches the leader's log end as it was at the follower's previous fetch
 * (Kafka's rule), so a follower that keeps fetching under steady load stays in sync even though the leader's log
 * end moves on between two fetches. Owned by the partition's context.
 */
final class FollowerProgress {

    private static final class Follower {
        long logEnd = -1;
        long lastCaughtUpMs;
        long lastFetchMs;
        long leaderEndAtLastFetch;
    }

    private final Map<Integer, Follower> followers = new HashMap<>();

    /** Starts over for a new leadership: in-sync followers count as caught up now, their log ends unknown. */
    void reset(List<Integer> replicas, List<Integer> isr, int self, long nowMs) {
        followers.clear();
        for (int id : replicas) {
            if (id != self) {
                Follower f = new Follower();
                f.lastCaughtUpMs = isr.contains(id) ? nowMs : 0;
                followers.put(id, f);
            }
        }
    }

    /** Adds replicas that joined the replica list (a reassignment) without touching the others. */
    void track(List<Integer> replicas, int self) {
        for (int id : replicas) {
            if (id != self) {
                followers.computeIfAbsent(id, k -> new Follower());
            }
        }
        followers.keySet().removeIf(id -> !replicas.contains(id));
    }

    void recordFetch(int replicaId, long fetchOffset, long leaderLogEnd, long nowMs) {
        Follower f = followers.get(replicaId);
        if (f == null) {
            return;
        }
        if (fetchOffset >= leaderLogEnd) {
            f.lastCaughtUpMs = nowMs;
        } else if (fetchOffset >= f.leaderEndAtLastFetch) {
            f.lastCaughtUpMs = Math.max(f.lastCaughtUpMs, f.lastFetchMs);
        }
        f.logEnd = fetchOffset;
        f.lastFetchMs = nowMs;
        f.leaderEndAtLastFetch = leaderLogEnd;
    }

    boolean isTracked(int replicaId) {
        return followers.containsKey(replicaId);
    }

    /** A follower's log end, or -1 before its first fetch under this leadership. */
    long logEnd(int replicaId) {
        Follower f = followers.get(replicaId);
        return f == null ? -1 : f.logEnd;
    }

    /** ISR followers that have not been caught up for longer than {@code lagMaxMs}. */
    List<Integer> laggingInSync(List<Integer> isr, long nowMs, long lagMaxMs) {
        List<Integer> lagging = new ArrayList<>();
        for (int id : isr) {
            Follower f = followers.get(id);
            if (f != null && nowMs - f.lastCaughtUpMs > lagMaxMs) {
                lagging.add(id);
            }
        }
        return lagging;
    }
}
