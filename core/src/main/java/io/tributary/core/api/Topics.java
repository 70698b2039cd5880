package io.tributary.core.api;

import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Topic metadata for the gateways and connectors. Futures fail with {@link ApiException}. */
public interface Topics {

    /** Every topic, internal ones included (callers filter with {@link TopicDescription#internal()}). */
    List<TopicDescription> list();

    Optional<TopicDescription> describe(String name);

    /**
     * The topic, created with the broker's defaults when it is missing and auto.create.topics.enable allows;
     * fails with {@link ApiException.Reason#UNKNOWN_TOPIC} otherwise.
     */
    Future<TopicDescription> ensure(String name);

    /**
     * Creates a topic explicitly (whatever auto.create.topics.enable says).
     *
     * @param partitions -1 for num.partitions
     */
    Future<TopicDescription> create(String name, int partitions, Map<String, String> configs);
}
