package io.tributary.connect.runtime;

import io.tributary.connect.plugins.Plugins;
import io.tributary.connect.state.OffsetStore;
import org.apache.kafka.common.metrics.Metrics;

import java.util.Map;

/**
 * What a task's loop needs from the runtime, handed over in one piece.
 *
 * @param connectorConfig the connector's config (converters, transforms, error handling are taken from it)
 * @param taskConfig      what the connector's taskConfigs() gave this task
 * @param connectorLoader the connector plugin's class loader
 */
public record TaskEnvironment(TaskId id, Map<String, String> connectorConfig, Map<String, String> taskConfig,
                              Class<?> taskClass, ClassLoader connectorLoader, Plugins plugins, BrokerBridge bridge,
                              OffsetStore offsets, ConnectSettings settings, Metrics metrics, ConnectMetrics meters,
                              TaskControl control) {
}
