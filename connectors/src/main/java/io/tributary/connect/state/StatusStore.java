package io.tributary.connect.state;

import io.tributary.connect.runtime.BrokerBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connector and task states, served from memory and kept in the compacted topic __connect_status under
 * Kafka Connect's keys ("status-connector-{name}", "status-task-{name}-{id}"), so the last known state,
 * a failure's trace included, is there after a restart until the runtime reports anew. In a cluster each member
 * writes the statuses of what it runs and follows the topic for the others'.
 */
public final class StatusStore {

    public static final String TOPIC = "__connect_status";
    private static final Logger LOG = LoggerFactory.getLogger(StatusStore.class);
    private static final String CONNECTOR_PREFIX = "status-connector-";
    private static final String TASK_PREFIX = "status-task-";

    private final CompactedTopic topic;
    private final Map<String, Status> connectors = new ConcurrentHashMap<>();
    /** connector -> task id -> status. */
    private final Map<String, Map<Integer, Status>> tasks = new ConcurrentHashMap<>();

    public StatusStore(BrokerBridge bridge) {
        this.topic = new CompactedTopic(bridge, TOPIC);
    }

    public void load() throws InterruptedException {
        topic.ensure();
        topic.whenReadable(this::catchUp);
    }

    /** Applies the statuses written since the last call, by any member (herder thread). */
    public void catchUp() throws InterruptedException {
        topic.catchUp((key, value, offset) -> {
            if (key.startsWith(CONNECTOR_PREFIX)) {
                String name = key.substring(CONNECTOR_PREFIX.length());
                if (value == null) {
                    connectors.remove(name);
                } else {
                    connectors.put(name, decode(value));
                }
            } else if (key.startsWith(TASK_PREFIX)) {
                String rest = key.substring(TASK_PREFIX.length());
                int dash = rest.lastIndexOf('-');
                String name = rest.substring(0, dash);
                int id = Integer.parseInt(rest.substring(dash + 1));
                if (value == null) {
                    tasksOf(name).remove(id);
                } else {
                    tasksOf(name).put(id, decode(value));
                }
            }
        });
    }

    public Optional<Status> connector(String name) {
        return Optional.ofNullable(connectors.get(name));
    }

    /** Task statuses by id, in id order. */
    public Map<Integer, Status> tasks(String name) {
        return new TreeMap<>(tasks.getOrDefault(name, Map.of()));
    }

    public void putConnector(String name, Status status) {
        connectors.put(name, status);
        persist(CONNECTOR_PREFIX + name, status);
    }

    public void putTask(String name, int id, Status status) {
        tasksOf(name).put(id, status);
        persist(TASK_PREFIX + name + "-" + id, status);
    }

    /**
     * Stores a task's status and waits until it is in the topic: a task handed over to another member reports
     * UNASSIGNED before that member may start it, so its RUNNING always comes later.
     */
    public void putTaskAndWait(String name, int id, Status status) throws InterruptedException {
        tasksOf(name).put(id, status);
        topic.write(TASK_PREFIX + name + "-" + id, encode(status));
    }

    /** Forgets task statuses from {@code firstGone} on (the connector now has fewer tasks). */
    public void removeTasksFrom(String name, int firstGone) {
        for (Integer id : tasks(name).keySet()) {
            if (id >= firstGone) {
                tasksOf(name).remove(id);
                persist(TASK_PREFIX + name + "-" + id, null);
            }
        }
    }

    public void removeConnector(String name) {
        removeTasksFrom(name, 0);
        connectors.remove(name);
        persist(CONNECTOR_PREFIX + name, null);
    }

    private Map<Integer, Status> tasksOf(String name) {
        return tasks.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
    }

    private void persist(String key, Status status) {
        topic.writeAsync(key, encode(status)).onFailure(e -> LOG.warn("Could not store status {}: {}", key, e.toString()));
    }

    private static byte[] encode(Status status) {
        if (status == null) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("state", status.state().name());
        json.put("trace", status.trace());
        json.put("worker_id", status.workerId());
        return Json.bytes(json);
    }

    @SuppressWarnings("unchecked")
    private static Status decode(byte[] value) {
        Map<String, Object> json = new HashMap<>(Json.read(value, Map.class));
        return new Status(ConnectorState.valueOf((String) json.get("state")), (String) json.get("trace"),
                (String) json.get("worker_id"));
    }
}
