package io.tributary.core.api;

import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;

import java.util.Set;

/** Told when a group member's partitions change; called on the context that joined. */
public interface AssignmentListener {

    /** Partitions newly assigned; start reading them from the committed offsets. */
    void onAssigned(Set<TopicPartition> partitions);

    /**
     * Partitions taken away; stop reading them and commit their positions. The member gives them up (so
     * another member may start on them) only when the returned future completes.
     */
    Future<Void> onRevoked(Set<TopicPartition> partitions);
}
