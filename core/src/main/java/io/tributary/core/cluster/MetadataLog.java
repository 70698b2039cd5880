package io.tributary.core.cluster;

import io.tributary.core.metadata.TopicInfo;
import io.vertx.core.Future;
import org.apache.kafka.common.Uuid;

import java.util.Map;
import java.util.Set;

/**
 * Carries the controller's topic decisions to every member, which applies them to its own registry and disk.
 * Changes to one topic reach every member in the order the controller published them.
 */
public interface MetadataLog {

    /** Publishes a topic's new metadata (controller only); completes once it is replicated. */
    Future<Void> publish(TopicInfo topic);

    /** Publishes a topic's deletion (controller only). */
    Future<Void> remove(String name);

    /** Every topic as published so far: what a newly elected controller starts from. */
    Future<Map<String, TopicInfo>> snapshot();

    /** Records that the topic with {@code id} was deleted, for good (controller only). */
    Future<Void> tombstone(Uuid id, String name);

    /** The ids of every deleted topic recorded so far. */
    Future<Set<Uuid>> tombstones();
}
