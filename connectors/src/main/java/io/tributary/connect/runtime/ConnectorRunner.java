package io.tributary.connect.runtime;

import io.tributary.connect.plugins.PluginDescriptor;
import io.tributary.connect.plugins.Plugins;
import io.tributary.connect.state.ConfigStore;
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
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * This member's part of one connector: the connector instance when this member owns it, and the tasks it owns.
 * The connector instance computes the task configs and publishes them in the config topic; every member starts
 * the tasks it owns from the published ones, so in a cluster a task can run on another member than its
 * connector. Only the herder thread calls it, so it needs no locks; tasks run on their own threads under
 * {@link TaskSupervisor}s.
 */
final class ConnectorRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRunner.class);
    private static final long TASK_STOP_TIMEOUT_MS = 10_000;
    /** The task config key naming the task class, as in Kafka Connect. */
    static final String TASK_CLASS = "task.class";

    private final String name;
    private final Map<String, String> config;
    private final String configHash;
    private final PluginDescriptor plugin;
    private final RuntimeServices services;
    private final ConfigStore configs;
    private final Map<Integer, TaskSupervisor> tasks = new TreeMap<>();
    private final Map<Integer, Map<String, String>> taskConfigsRunning = new HashMap<>();
    private Connector connector;
    private PluginMetricsImpl metrics;
    /** The target state last applied; null before the first {@link #apply}. */
    private TargetState target;
    private boolean ownsConnector;
    /** The connector instance was started (or failed to start) for the current ownership and target state. */
    private boolean connectorAttempted;

    ConnectorRunner(String name, Map<String, String> config, PluginDescriptor plugin, RuntimeServices services,
                    ConfigStore configs) {
        this.name = name;
        this.config = config;
        this.configHash = ConfigStore.hash(config);
        this.plugin = plugin;
        this.services = services;
        this.configs = configs;
    }

    Map<String, String> config() {
        return config;
    }

    boolean isSink() {
        return SinkConnector.class.isAssignableFrom(plugin.pluginClass());
    }

    boolean runsTask(int id) {
        return tasks.containsKey(id);
    }

    /** Has a task running here report its state again. */
    void reportTaskAgain(int id) {
        TaskSupervisor task = tasks.get(id);
        if (task != null) {
            task.reportAgain();
        }
    }

    /**
     * Brings this member's part in line with the target state and the placement: starts or stops the connector
     * instance and the owned tasks, pauses or resumes them. Called again and again; does nothing when nothing
     * changed.
     *
     * @param ownConnector whether this member owns the connector instance
     * @param ownsTask     which task ids this member owns
     * @param mayStart     whether a task may start now (its previous member has let it go)
     */
    void apply(TargetState state, boolean ownConnector, IntPredicate ownsTask, IntPredicate mayStart)
            throws InterruptedException {
        TargetState before = target;
        target = state;
        if (state == TargetState.STOPPED) {
            stopTasks(id -> false, id -> false);
            stopConnector();
            if (ownConnector && (before != TargetState.STOPPED || !ownsConnector)) {
                services.statuses().putConnector(name, status(ConnectorState.STOPPED));
                if (configs.taskConfigs(name).map(t -> !t.tasks().isEmpty()).orElse(true)) {
                    configs.putTaskConfigs(name, config, List.of());
                }
                services.statuses().removeTasksFrom(name, 0);
            }
            ownsConnector = ownConnector;
            return;
        }
        if (before == TargetState.STOPPED) {
            connectorAttempted = false;
        }
        if (ownsConnector && !ownConnector) {
            stopConnector();
        }
        ownsConnector = ownConnector;
        if (ownConnector && !connectorAttempted) {
            startConnector();
        } else if (connector != null && before != null && before != state) {
            services.statuses().putConnector(name, status(state == TargetState.PAUSED ? ConnectorState.PAUSED : ConnectorState.RUNNING));
        }
        List<Map<String, String>> published = publishedTaskConfigs();
        // Tasks that moved away, or whose config changed or is gone: stop them (the moved ones hand over).
        stopTasks(id -> published != null && id < published.size() && ownsTask.test(id)
                        && published.get(id).equals(taskConfigsRunning.get(id)),
                id -> published != null && id < published.size() && !ownsTask.test(id));
        if (before != null && before != state) {
            tasks.values().forEach(t -> t.pause(state == TargetState.PAUSED));
        }
        if (published == null) {
            return;
        }
        boolean caughtUp = false;
        for (int id = 0; id < published.size(); id++) {
            if (tasks.containsKey(id) || !ownsTask.test(id) || !mayStart.test(id)) {
                continue;
            }
            if (!caughtUp) {
                services.offsets().catchUp(); // a task that ran elsewhere continues from its last stored offsets
                caughtUp = true;
            }
            startTask(id, published.get(id));
        }
    }

    /** The published task configs when they were computed from this config, else null (not yet published). */
    private List<Map<String, String>> publishedTaskConfigs() {
        return configs.taskConfigs(name).filter(t -> t.configHash().equals(configHash))
                .map(ConfigStore.TaskConfigs::tasks).orElse(null);
    }

    private void startConnector() {
        connectorAttempted = true;
        try {
            metrics = new PluginMetricsImpl(services.metrics(), Map.of("connector", name));
            connector = services.plugins().newInstance(plugin.className(), Connector.class, plugin.loader());
            Plugins.withLoader(plugin.loader(), () -> {
                connector.initialize(isSink() ? new SinkContext() : new SourceContext());
                connector.start(config);
                return null;
            });
            services.statuses().putConnector(name, status(target == TargetState.PAUSED ? ConnectorState.PAUSED : ConnectorState.RUNNING));
            publishTaskConfigs();
        } catch (Exception | LinkageError e) {
            LOG.warn("Connector {} failed to start", name, e);
            services.statuses().putConnector(name, Status.failed(e, services.workerId()));
            closeConnector();
        }
    }

    /** Asks the connector for its task configs and publishes them when they changed. */
    private void publishTaskConfigs() throws Exception {
        Class<?> taskClass = Plugins.withLoader(plugin.loader(), connector::taskClass);
        List<Map<String, String>> fresh = new ArrayList<>();
        for (Map<String, String> computed : Plugins.withLoader(plugin.loader(),
                () -> List.copyOf(connector.taskConfigs(ConnectorConfig.tasksMax(config))))) {
            Map<String, String> task = new HashMap<>(computed);
            task.put(TASK_CLASS, taskClass.getName());
            fresh.add(Map.copyOf(task));
        }
        if (!fresh.equals(publishedTaskConfigs())) {
            configs.putTaskConfigs(name, config, fresh);
            services.statuses().removeTasksFrom(name, fresh.size());
        }
    }

    private void startTask(int id, Map<String, String> taskConfig) {
        Class<?> taskClass;
        try {
            taskClass = Class.forName(taskConfig.get(TASK_CLASS), true, plugin.loader());
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            LOG.warn("Task {}-{} cannot start", name, id, e);
            services.statuses().putTask(name, id, Status.failed(e, services.workerId()));
            return;
        }
        TaskSupervisor supervisor = new TaskSupervisor(new TaskId(name, id), services,
                (tid, control) -> new TaskEnvironment(tid, config, taskConfig, taskClass, plugin.loader(),
                        services.plugins(), services.bridge(), services.offsets(), services.settings(),
                        services.metrics(), services.meters(), control),
                isSink() ? SinkTaskLoop::new : SourceTaskLoop::new);
        if (services.clustered()) {
            LOG.info("Task {}-{} runs on this worker ({})", name, id, services.workerId());
        }
        tasks.put(id, supervisor);
        taskConfigsRunning.put(id, taskConfig);
        supervisor.start(target == TargetState.PAUSED);
    }

    /**
     * Stops the running tasks {@code keep} rejects, all at once. Those {@code handOver} names report UNASSIGNED once
     * stopped (their last offsets stored), which lets the member they moved to start them.
     */
    private void stopTasks(IntPredicate keep, IntPredicate handOver) {
        List<TaskSupervisor> stopping = new ArrayList<>();
        for (Integer id : List.copyOf(tasks.keySet())) {
            if (!keep.test(id)) {
                stopping.add(tasks.remove(id));
                taskConfigsRunning.remove(id);
            }
        }
        stopping.forEach(TaskSupervisor::requestStop);
        stopping.forEach(t -> t.stop(TASK_STOP_TIMEOUT_MS));
        for (TaskSupervisor task : stopping) {
            if (handOver.test(task.id().task())) {
                LOG.info("Task {} handed over to another worker", task.id());
                try {
                    services.statuses().putTaskAndWait(name, task.id().task(), status(ConnectorState.UNASSIGNED));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    // the new member starts it anyway once this one is gone or the hand-over wait ran out
                    LOG.warn("Could not report task {} handed over: {}", task.id(), e.toString());
                }
            }
        }
    }

    private void stopConnector() {
        connectorAttempted = false;
        if (connector != null) {
            try {
                Plugins.withLoader(plugin.loader(), () -> {
                    connector.stop();
                    return null;
                });
            } catch (Exception e) {
                LOG.warn("Connector {} failed to stop cleanly", name, e);
            }
        }
        closeConnector();
    }

    private void closeConnector() {
        connector = null;
        if (metrics != null) {
            try {
                metrics.close();
            } catch (java.io.IOException e) {
                LOG.debug("Closing metrics of {}: {}", name, e.toString());
            }
            metrics = null;
        }
    }

    /** The connector asked for its tasks to be recomputed: publish them again if they changed. */
    void reconfigure() throws Exception {
        if (connector != null && target != TargetState.STOPPED) {
            publishTaskConfigs();
        }
    }

    /**
     * Stops this member's tasks and connector instance; the runner is not used again.
     *
     * @param handOver whether the tasks report UNASSIGNED, so other members take them over (a member leaving)
     */
    void shutdown(boolean handOver) {
        stopTasks(id -> false, id -> handOver);
        stopConnector();
    }

    /**
     * Restarts this member's part: the connector instance when it is here (when {@code includeTasks} and
     * {@code onlyFailed}, only if it failed), and with {@code includeTasks} the tasks here (only the failed ones
     * when {@code onlyFailed}).
     */
    void restart(boolean includeTasks, boolean onlyFailed) {
        if (target == null || target == TargetState.STOPPED) {
            return; // a stopped connector stays stopped until resumed
        }
        if (ownsConnector && (!includeTasks || !onlyFailed || connector == null)) {
            if (includeTasks && !onlyFailed) {
                services.statuses().putConnector(name, status(ConnectorState.RESTARTING));
            }
            stopConnector();
            startConnector();
        }
        if (includeTasks) {
            for (TaskSupervisor task : List.copyOf(tasks.values())) {
                if (!onlyFailed || task.failed()) {
                    restartTask(task.id().task());
                }
            }
        }
    }

    /** Replaces one task running here with a fresh one; false when it does not run here. */
    boolean restartTask(int id) {
        TaskSupervisor old = tasks.get(id);
        if (old == null) {
            return false;
        }
        old.stop(TASK_STOP_TIMEOUT_MS);
        tasks.remove(id);
        startTask(id, taskConfigsRunning.remove(id));
        return true;
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
