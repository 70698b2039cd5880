package io.tributary.connect.state;

import io.tributary.connect.runtime.BrokerBridge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connector configs and target states, kept in the compacted topic __connect_configs with Kafka Connect's
 * key names ("connector-{name}", "target-state-{name}"); a tombstone deletes. Writes come from the herder
 * thread only; reads from anywhere.
 */
public final class ConfigStore {

    public static final String TOPIC = "__connect_configs";
    private static final String CONNECTOR_PREFIX = "connector-";
    private static final String TARGET_PREFIX = "target-state-";

    private final CompactedTopic topic;
    private final Map<String, Map<String, String>> configs = new ConcurrentHashMap<>();
    private final Map<String, TargetState> targetStates = new ConcurrentHashMap<>();

    public ConfigStore(BrokerBridge bridge) {
        this.topic = new CompactedTopic(bridge, TOPIC);
    }

    @SuppressWarnings("unchecked")
    public void load() throws InterruptedException {
        topic.ensure();
        topic.replay((key, value) -> {
            if (key.startsWith(CONNECTOR_PREFIX)) {
                String name = key.substring(CONNECTOR_PREFIX.length());
                if (value == null) {
                    configs.remove(name);
                    targetStates.remove(name);
                } else {
                    configs.put(name, Map.copyOf((Map<String, String>) Json.read(value, Map.class).get("properties")));
                }
            } else if (key.startsWith(TARGET_PREFIX)) {
                String name = key.substring(TARGET_PREFIX.length());
                if (value == null) {
                    targetStates.remove(name);
                } else {
                    targetStates.put(name, TargetState.valueOf((String) Json.read(value, Map.class).get("state")));
                }
            }
        });
    }

    public Set<String> names() {
        return new TreeSet<>(configs.keySet());
    }

    public Optional<Map<String, String>> config(String name) {
        return Optional.ofNullable(configs.get(name));
    }

    public TargetState targetState(String name) {
        return targetStates.getOrDefault(name, TargetState.STARTED);
    }

    public void put(String name, Map<String, String> config) throws InterruptedException {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("properties", config);
        topic.write(CONNECTOR_PREFIX + name, Json.bytes(value));
        configs.put(name, Map.copyOf(config));
    }

    public void putTargetState(String name, TargetState state) throws InterruptedException {
        topic.write(TARGET_PREFIX + name, Json.bytes(Map.of("state", state.name())));
        targetStates.put(name, state);
    }

    public void remove(String name) throws InterruptedException {
        topic.write(CONNECTOR_PREFIX + name, null);
        topic.write(TARGET_PREFIX + name, null);
        configs.remove(name);
        targetStates.remove(name);
    }
}
