package io.tributary.core.group;

import org.apache.kafka.common.Uuid;

import java.util.Map;
import java.util.Set;

/** A server-side assignor of the consumer group protocol (group.remote.assignor on the client). */
interface PartitionAssignor {

    String name();

    /**
     * @param subscriptions the topic ids each member subscribes to
     * @param partitions    the partition count of every subscribed topic
     * @param current       the previous target assignment, to stay close to it
     * @return the new target assignment of every member (possibly empty)
     */
    Map<String, Assignment> assign(Map<String, Set<Uuid>> subscriptions, Map<Uuid, Integer> partitions,
                                   Map<String, Assignment> current);
}
