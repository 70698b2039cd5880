package io.tributary.core.group;

import org.apache.kafka.common.Uuid;

import java.util.Collection;

/** What the coordinator needs to know about topics: ids and partition counts, from the current metadata. */
public interface TopicLookup {

    /** A topic's id and partition count. */
    record TopicMetadata(String name, Uuid id, int partitions) {
    }

    /** The topic named {@code name}, or null. */
    TopicMetadata byName(String name);

    /** The topic with id {@code id}, or null. */
    TopicMetadata byId(Uuid id);

    /** Every topic name, for regex subscriptions. */
    Collection<String> names();
}
