package io.tributary.connect.runtime;

import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Where connector instances and tasks run: rendezvous (highest random weight) hashing of the unit's name over the
 * node ids of the live workers. Every member computes the same owner from the same worker set without talking to
 * the others, and when a worker joins or leaves only the units it gains or loses move.
 */
public final class Placement {

    private Placement() {
    }

    /** The unit name of a connector instance. */
    public static String connectorUnit(String connector) {
        return connector;
    }

    /** The unit name of a task. */
    public static String taskUnit(String connector, int task) {
        return connector + "-" + task;
    }

    /** The node id owning {@code unit} among {@code workers}, or -1 when there are none. */
    public static int owner(String unit, Collection<Integer> workers) {
        int best = -1;
        long bestWeight = Long.MIN_VALUE;
        for (int worker : workers) {
            long weight = weight(unit, worker);
            if (weight > bestWeight || weight == bestWeight && worker < best) {
                bestWeight = weight;
                best = worker;
            }
        }
        return best;
    }

    private static long weight(String unit, int worker) {
        byte[] bytes = (unit + "@" + worker).getBytes(StandardCharsets.UTF_8);
        // Two independent 32-bit hashes make one 64-bit weight, so ties are practically impossible.
        long high = Utils.murmur2(bytes) & 0xffffffffL;
        long low = Utils.murmur2(("~" + unit + "@" + worker).getBytes(StandardCharsets.UTF_8)) & 0xffffffffL;
        return (high << 32) | low;
    }
}
