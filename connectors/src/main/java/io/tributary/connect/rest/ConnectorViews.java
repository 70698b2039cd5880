package io.tributary.connect.rest;

import io.tributary.connect.runtime.Herder;
import io.tributary.connect.state.Status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of Kafka Connect's REST API for connectors: ConnectorInfo, status, task info. */
final class ConnectorViews {

    private final Herder herder;

    ConnectorViews(Herder herder) {
        this.herder = herder;
    }

    Map<String, Object> info(String name) {
        herder.requireExists(name);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", name);
        info.put("config", herder.config(name).orElseThrow());
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int i = 0; i < herder.taskConfigs(name).size(); i++) {
            tasks.add(taskId(name, i));
        }
        info.put("tasks", tasks);
        info.put("type", herder.type(name));
        return info;
    }

    Map<String, Object> status(String name) {
        herder.requireExists(name);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("name", name);
        status.put("connector", state(herder.connectorStatus(name), null));
        List<Map<String, Object>> tasks = new ArrayList<>();
        herder.taskStatuses(name).forEach((id, s) -> tasks.add(state(s, id)));
        status.put("tasks", tasks);
        status.put("type", herder.type(name));
        return status;
    }

    Map<String, Object> taskStatus(String name, int task) {
        herder.requireExists(name);
        Status s = herder.taskStatuses(name).get(task);
        if (s == null) {
            throw new io.tributary.connect.runtime.RequestException(404, "Task " + name + "-" + task + " not found");
        }
        return state(s, task);
    }

    List<Map<String, Object>> tasks(String name) {
        herder.requireExists(name);
        List<Map<String, Object>> tasks = new ArrayList<>();
        List<Map<String, String>> configs = herder.taskConfigs(name);
        for (int i = 0; i < configs.size(); i++) {
            Map<String, Object> task = new LinkedHashMap<>();
            task.put("id", taskId(name, i));
            task.put("config", configs.get(i));
            tasks.add(task);
        }
        return tasks;
    }

    private static Map<String, Object> taskId(String name, int task) {
        Map<String, Object> id = new LinkedHashMap<>();
        id.put("connector", name);
        id.put("task", task);
        return id;
    }

    private static Map<String, Object> state(Status status, Integer id) {
        Map<String, Object> state = new LinkedHashMap<>();
        if (id != null) {
            state.put("id", id);
        }
        state.put("state", status.state().name());
        state.put("worker_id", status.workerId());
        if (status.trace() != null) {
            state.put("trace", status.trace());
        }
        return state;
    }
}
