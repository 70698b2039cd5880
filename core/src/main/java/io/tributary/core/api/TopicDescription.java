package io.tributary.core.api;

import java.util.Map;

/**
 * A topic as the gateway and connectors see it.
 *
 * @param configs the topic's own overrides (unset keys take the broker defaults)
 */
public record TopicDescription(String name, int partitions, Map<String, String> configs, boolean internal) {
}
