package io.tributary.gateway.mqtt;

import org.apache.kafka.common.TopicPartition;

import java.util.Map;

/**
 * One subscription of a session.
 *
 * @param shareGroup     the group of a $share/{group}/{filter} subscription, else null
 * @param retainHandling MQTT 5: 0 send retained on subscribe, 1 only when new, 2 never
 * @param identifier     MQTT 5 subscription identifier, 0 for none
 * @param from           per partition, the first offset this subscription delivers (partitions created after
 *                       the subscription are absent and start at their beginning)
 */
record Subscription(String filter, String shareGroup, int qos, boolean noLocal, boolean retainAsPublished,
                    int retainHandling, int identifier, Map<TopicPartition, Long> from) {

    static final String SHARE_PREFIX = "$share/";

    Subscription {
        from = Map.copyOf(from);
    }

    /** The filter as the client wrote it, the key of the subscription in its session. */
    String key() {
        return shareGroup == null ? filter : SHARE_PREFIX + shareGroup + "/" + filter;
    }

    boolean shared() {
        return shareGroup != null;
    }

    long fromOffset(TopicPartition tp) {
        return from.getOrDefault(tp, 0L);
    }

    Subscription withFrom(Map<TopicPartition, Long> newFrom) {
        return new Subscription(filter, shareGroup, qos, noLocal, retainAsPublished, retainHandling, identifier, newFrom);
    }
}
