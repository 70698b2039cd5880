package io.tributary.connect.state;

import io.tributary.connect.runtime.BrokerBridge;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Connector configs, target states and task configs, kept in the compacted topic __connect_configs with Kafka
 * Connect's key names ("connector-{name}", "target-state-{name}", "task-{name}-{id}", "commit-{name}"); a
 * tombstone deletes. Task configs take effect at their commit record, which also names the connector config
 * they were computed from ("config-hash"), so no task starts with task configs of an older connector config.
 * Restart requests ("restart-connector-{name}", "restart-task-{name}-{id}") reach the other members the same way.
 * Writes and {@link #catchUp} come from the herder thread only; reads from anywhere.
 */
public final class ConfigStore {

    public static final String TOPIC = "__connect_configs";
    private static final String CONNECTOR_PREFIX = "connector-";
    private static final String TARGET_PREFIX = "target-state-";
    private static final String TASK_PREFIX = "task-";
    private static final String COMMIT_PREFIX = "commit-";
    private static final String RESTART_CONNECTOR_PREFIX = "restart-connector-";
    private static final String RESTART_TASK_PREFIX = "restart-task-";

    private final CompactedTopic topic;
    private final Map<String, Map<String, String>> configs = new ConcurrentHashMap<>();
    private final Map<String, TargetState> targetStates = new ConcurrentHashMap<>();
    private final Map<String, TaskConfigs> taskConfigs = new ConcurrentHashMap<>();
    /** Task configs read but not yet committed: connector -> task id -> config. */
    private final Map<String, Map<Integer, Map<String, String>>> uncommitted = new HashMap<>();
    private Consumer<RestartRequest> restarts = r -> { };
    private boolean loaded;

    /** The task configs a connector instance computed, and a hash of the connector config they come from. */
    public record TaskConfigs(List<Map<String, String>> tasks, String configHash) {
    }

    public ConfigStore(BrokerBridge bridge) {
        this.topic = new CompactedTopic(bridge, TOPIC);
    }

    /** Where restart requests written after the initial load go (herder thread). */
    public void onRestartRequest(Consumer<RestartRequest> listener) {
        this.restarts = listener;
    }

    public void load() throws InterruptedException {
        topic.ensure();
        topic.whenReadable(this::catchUp);
        loaded = true;
    }

    /** Applies what was written since the last call (by any member); true when anything was. */
    public boolean catchUp() throws InterruptedException {
        return topic.catchUp((key, value, offset) -> apply(key, value));
    }

    @SuppressWarnings("unchecked")
    private void apply(String key, byte[] value) {
        if (key.startsWith(CONNECTOR_PREFIX)) {
            String name = key.substring(CONNECTOR_PREFIX.length());
            if (value == null) {
                configs.remove(name);
                targetStates.remove(name);
                taskConfigs.remove(name);
                uncommitted.remove(name);
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
        } else if (key.startsWith(TASK_PREFIX)) {
            String rest = key.substring(TASK_PREFIX.length());
            int dash = rest.lastIndexOf('-');
            if (dash > 0 && value != null) {
                uncommitted.computeIfAbsent(rest.substring(0, dash), n -> new HashMap<>()).put(
                        Integer.parseInt(rest.substring(dash + 1)),
                        Map.copyOf((Map<String, String>) Json.read(value, Map.class).get("properties")));
            }
        } else if (key.startsWith(COMMIT_PREFIX)) {
            String name = key.substring(COMMIT_PREFIX.length());
            if (value == null) {
                taskConfigs.remove(name);
                return;
            }
            Map<String, Object> commit = Json.read(value, Map.class);
            int count = ((Number) commit.get("tasks")).intValue();
            Map<Integer, Map<String, String>> pending = uncommitted.getOrDefault(name, Map.of());
            List<Map<String, String>> tasks = new ArrayList<>();
            for (int i = 0; i < count && pending.containsKey(i); i++) {
                tasks.add(pending.get(i));
            }
            if (tasks.size() == count) {
                taskConfigs.put(name, new TaskConfigs(List.copyOf(tasks), (String) commit.get("config-hash")));
            }
        } else if (loaded && value != null && key.startsWith(RESTART_CONNECTOR_PREFIX)) {
            Map<String, Object> request = Json.read(value, Map.class);
            restarts.accept(new RestartRequest(key.substring(RESTART_CONNECTOR_PREFIX.length()), null,
                    Boolean.TRUE.equals(request.get("include-tasks")), Boolean.TRUE.equals(request.get("only-failed")),
                    ((Number) request.get("origin")).intValue()));
        } else if (loaded && value != null && key.startsWith(RESTART_TASK_PREFIX)) {
            String rest = key.substring(RESTART_TASK_PREFIX.length());
            int dash = rest.lastIndexOf('-');
            Map<String, Object> request = Json.read(value, Map.class);
            restarts.accept(new RestartRequest(rest.substring(0, dash), Integer.parseInt(rest.substring(dash + 1)),
                    false, false, ((Number) request.get("origin")).intValue()));
        }
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

    /** The last committed task configs of a connector, if any. */
    public Optional<TaskConfigs> taskConfigs(String name) {
        return Optional.ofNullable(taskConfigs.get(name));
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

    /** Stores the task configs computed from connector config {@code connectorConfig}, then commits them. */
    public void putTaskConfigs(String name, Map<String, String> connectorConfig, List<Map<String, String>> tasks)
            throws InterruptedException {
        for (int i = 0; i < tasks.size(); i++) {
            topic.write(TASK_PREFIX + name + "-" + i, Json.bytes(Map.of("properties", tasks.get(i))));
        }
        String hash = hash(connectorConfig);
        Map<String, Object> commit = new LinkedHashMap<>();
        commit.put("tasks", tasks.size());
        commit.put("config-hash", hash);
        topic.write(COMMIT_PREFIX + name, Json.bytes(commit));
        taskConfigs.put(name, new TaskConfigs(List.copyOf(tasks), hash));
    }

    /** Passes a restart request to the other members. */
    public void putRestartRequest(RestartRequest request) throws InterruptedException {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("include-tasks", request.includeTasks());
        value.put("only-failed", request.onlyFailed());
        value.put("origin", request.origin());
        String key = request.task() == null ? RESTART_CONNECTOR_PREFIX + request.connector()
                : RESTART_TASK_PREFIX + request.connector() + "-" + request.task();
        topic.write(key, Json.bytes(value));
    }

    public void remove(String name) throws InterruptedException {
        topic.write(CONNECTOR_PREFIX + name, null);
        topic.write(TARGET_PREFIX + name, null);
        topic.write(COMMIT_PREFIX + name, null);
        configs.remove(name);
        targetStates.remove(name);
        taskConfigs.remove(name);
    }

    /** Identifies a connector config, so task configs can name the config they were computed from. */
    public static String hash(Map<String, String> connectorConfig) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    Json.bytes(new TreeMap<>(connectorConfig)));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
