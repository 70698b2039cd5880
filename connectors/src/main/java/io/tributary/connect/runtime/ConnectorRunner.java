package io.tributary.connect.runtime;

import io.tributary.connect.plugins.PluginDescriptor;
import io.tributary.connect.plugins.Plugins;
import io.tributary.connect.state.ConnectorState;
import io.tributary.connect.state.Status;
import io.tributary.connect.state.TargetState;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkConnectorContext;
import org.apache.kafka.connect.source.SourceConnectorContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One connector instance and its tasks. Only the herder thread calls it, so it needs no locks; its tasks run
 * on their own threads under {@link TaskSupervisor}s.
 */
final class ConnectorRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRunner.class);
    private static final long TASK_STOP_TIMEOUT_MS = 10_000;

    private final String name;
    private final Map<String, String> config;
    private final PluginDescriptor plugin;
    private final RuntimeServices services;
    private final List<TaskSupervisor> tasks = new ArrayList<>();
    private List<Map<String, String>> taskConfigs = List.of();
    private Connector connector;
    private PluginMetricsImpl metrics;
    private TargetState target = TargetState.STOPPED;

    ConnectorRunner(String name, Map<String, String> config, PluginDescriptor plugin, RuntimeServices services) {
        this.name = name;
        this.config = config;
        this.plugin = plugin;
        this.services = services;
    }

    boolean isSink() {
        return SinkConnector.class.isAssignableFrom(plugin.pluginClass());
    }

    List<Map<String, String>> taskConfigs() {
        return taskConfigs;
    }

    /** Starts the connector in {@code state}; a connector that fails to start is reported FAILED, not thrown. */
    void start(TargetState state) {
        target = state;
        if (state == TargetState.STOPPED) {
            taskConfigs = List.of();
            services.statuses().putConnector(name, status(ConnectorState.STOPPED));
            services.statuses().removeTasksFrom(name, 0);
            return;
        }
        try {
            metrics = new PluginMetricsImpl(services.metrics(), Map.of("connector", name));
            connector = services.plugins().newInstance(plugin.className(), Connector.class, plugin.loader());
            Plugins.withLoader(plugin.loader(), () -> {
                connector.initialize(isSink() ? new SinkContext() : new SourceContext());
                connector.start(config);
                return null;
            });
            services.statuses().putConnector(name, status(state == TargetState.PAUSED ? ConnectorState.PAUSED : ConnectorState.RUNNING));
            startTasks();
        } catch (Exception | LinkageError e) {
            LOG.warn("Connector {} failed to start", name, e);
            services.statuses().putConnector(name, Status.failed(e, services.workerId()));
            connector = null;
        }
    }

    private void startTasks() throws Exception {
        taskConfigs = Plugins.withLoader(plugin.loader(), () -> List.copyOf(connector.taskConfigs(ConnectorConfig.tasksMax(config))));
        Class<?> taskClass = Plugins.withLoader(plugin.loader(), connector::taskClass);
        services.statuses().removeTasksFrom(name, taskConfigs.size());
        for (int i = 0; i < taskConfigs.size(); i++) {
            Map<String, String> taskConfig = new HashMap<>(taskConfigs.get(i));
            TaskSupervisor supervisor = new TaskSupervisor(new TaskId(name, i), services,
                    (id, control) -> new TaskEnvironment(id, config, Map.copyOf(taskConfig), taskClass, plugin.loader(),
                            services.plugins(), services.bridge(), services.offsets(), services.settings(),
                            services.metrics(), services.meters(), control),
                    isSink() ? SinkTaskLoop::new : SourceTaskLoop::new);
            tasks.add(supervisor);
            supervisor.start(target == TargetState.PAUSED);
        }
    }

    private void stopTasks() {
        tasks.forEach(TaskSupervisor::requestStop);
        tasks.forEach(t -> t.stop(TASK_STOP_TIMEOUT_MS));
        tasks.clear();
    }

    /** Asks the connector for its task configs again and restarts the tasks if they changed. */
    void reconfigure() throws Exception {
        if (connector == null || target == TargetState.STOPPED) {
            return;
        }
        List<Map<String, String>> fresh = Plugins.withLoader(plugin.loader(),
                () -> List.copyOf(connector.taskConfigs(ConnectorConfig.tasksMax(config))));
        if (!fresh.equals(taskConfigs)) {
            stopTasks();
            startTasks();
        }
    }

    void pause() {
        target = TargetState.PAUSED;
        if (connector != null) {
            tasks.forEach(t -> t.pause(true));
            services.statuses().putConnector(name, status(ConnectorState.PAUSED));
        }
    }

    void resume() {
        target = TargetState.STARTED;
        if (connector != null) {
            tasks.forEach(t -> t.pause(false));
            services.statuses().putConnector(name, status(ConnectorState.RUNNING));
        }
    }

    /** Stops tasks and connector; the runner may be started again. */
    void shutdown() {
        stopTasks();
        if (connector != null) {
            try {
                Plugins.withLoader(plugin.loader(), () -> {
                    connector.stop();
                    return null;
                });
            } catch (Exception e) {
                LOG.warn("Connector {} failed to stop cleanly", name, e);
            }
            connector = null;
        }
        if (metrics != null) {
            try {
                metrics.close();
            } catch (java.io.IOException e) {
                LOG.debug("Closing metrics of {}: {}", name, e.toString());
            }
            metrics = null;
        }
    }

    /** Restarts the connector, and its tasks (only the failed ones when {@code onlyFailed}) when {@code includeTasks}. */
    void restart(boolean includeTasks, boolean onlyFailed) {
        if (!includeTasks) {
            restartConnectorOnly();
            return;
        }
        if (onlyFailed && connector != null) {
            for (TaskSupervisor task : List.copyOf(tasks)) {
                if (task.failed()) {
                    restartTask(task.id().task());
                }
            }
            return;
        }
        TargetState state = target;
        services.statuses().putConnector(name, status(ConnectorState.RESTARTING));
        shutdown();
        start(state);
    }

    private void restartConnectorOnly() {
        if (target == TargetState.STOPPED) {
            return; // a stopped connector stays stopped until resumed
        }
        // The tasks keep running: only the connector instance is replaced.
        List<TaskSupervisor> running = List.copyOf(tasks);
        tasks.clear();
        shutdown();
        tasks.addAll(running);
        try {
            metrics = new PluginMetricsImpl(services.metrics(), Map.of("connector", name));
            connector = services.plugins().newInstance(plugin.className(), Connector.class, plugin.loader());
            Plugins.withLoader(plugin.loader(), () -> {
                connector.initialize(isSink() ? new SinkContext() : new SourceContext());
                connector.start(config);
                return null;
            });
            services.statuses().putConnector(name, status(target == TargetState.PAUSED ? ConnectorState.PAUSED : ConnectorState.RUNNING));
            if (tasks.isEmpty()) {
                startTasks(); // it had failed to start, so it never had tasks
            }
        } catch (Exception | LinkageError e) {
            services.statuses().putConnector(name, Status.failed(e, services.workerId()));
            connector = null;
        }
    }

    /** Replaces one task with a fresh one; false when there is no such task. */
    boolean restartTask(int id) {
        for (int i = 0; i < tasks.size(); i++) {
            TaskSupervisor old = tasks.get(i);
            if (old.id().task() == id) {
                old.stop(TASK_STOP_TIMEOUT_MS);
                Map<String, String> taskConfig = taskConfigs.get(id);
                Class<?> taskClass = taskClassOrNull();
                TaskSupervisor fresh = new TaskSupervisor(old.id(), services,
                        (tid, control) -> new TaskEnvironment(tid, config, Map.copyOf(taskConfig), taskClass, plugin.loader(),
                                services.plugins(), services.bridge(), services.offsets(), services.settings(),
                                services.metrics(), services.meters(), control),
                        isSink() ? SinkTaskLoop::new : SourceTaskLoop::new);
                tasks.set(i, fresh);
                fresh.start(target == TargetState.PAUSED);
                return true;
            }
        }
        return false;
    }

    private Class<?> taskClassOrNull() {
        try {
            return Plugins.withLoader(plugin.loader(), connector::taskClass);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Status status(ConnectorState state) {
        return new Status(state, null, services.workerId());
    }

    private class BaseContext {
        public void requestTaskReconfiguration() {
            services.reconfigurationRequest().accept(name);
        }

        public void raiseError(Exception e) {
            LOG.warn("Connector {} raised an error", name, e);
            services.statuses().putConnector(name, Status.failed(e, services.workerId()));
        }

        public PluginMetrics pluginMetrics() {
            return metrics;
        }
    }

    private final class SinkContext extends BaseContext implements SinkConnectorContext {
    }

    private final class SourceContext extends BaseContext implements SourceConnectorContext {
        @Override
        public OffsetStorageReader offsetStorageReader() {
            return new StoredOffsetReader(name, services.offsets());
        }
    }
}
