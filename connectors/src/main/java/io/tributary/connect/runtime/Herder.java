package io.tributary.connect.runtime;

import io.tributary.connect.plugins.PluginDescriptor;
import io.tributary.connect.state.ConfigStore;
import io.tributary.connect.state.ConnectorState;
import io.tributary.connect.state.OffsetStore;
import io.tributary.connect.state.Status;
import io.tributary.connect.state.StatusStore;
import io.tributary.connect.state.TargetState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Decides what runs: every change to connectors (create, reconfigure, pause, restart, delete) is made on one
 * herder thread, in order, persisted to the config topic first and then applied to the running connectors.
 * Connector code may block, which is why none of this runs on an event loop.
 */
public final class Herder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Herder.class);

    private final RuntimeServices services;
    private final ConfigStore configs;
    private final ConnectorValidator validator;
    private final ExecutorService thread;
    /** Running connectors; written on the herder thread, read by REST handlers. */
    private final Map<String, ConnectorRunner> runners = new ConcurrentHashMap<>();

    public Herder(RuntimeServices services, ConfigStore configs, ExecutorService herderThread) {
        this.services = services;
        this.configs = configs;
        this.validator = new ConnectorValidator(services.plugins());
        this.thread = herderThread;
    }

    /** Runs a request on the herder thread. */
    public <T> CompletableFuture<T> submit(Callable<T> request) {
        CompletableFuture<T> result = new CompletableFuture<>();
        thread.execute(() -> {
            try {
                result.complete(request.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Starts every stored connector in its stored target state (herder thread). */
    public void startAll() {
        for (String name : configs.names()) {
            configs.config(name).ifPresent(config -> startRunner(name, config));
        }
    }

    public ConnectorValidator.Result validate(Map<String, String> config) {
        return validator.validate(config);
    }

    /**
     * Creates or replaces a connector (herder thread). Returns true when it was created.
     *
     * @param mustBeNew fail with 409 when it exists (POST /connectors)
     */
    public boolean put(String name, Map<String, String> config, boolean mustBeNew) throws InterruptedException {
        boolean exists = configs.config(name).isPresent();
        if (exists && mustBeNew) {
            throw new RequestException(409, "Connector " + name + " already exists");
        }
        Map<String, String> full = new HashMap<>(config);
        full.put(ConnectorConfig.NAME, name);
        ConnectorValidator.Result result = validator.validate(full);
        if (!result.valid()) {
            throw new RequestException(400, "Connector configuration is invalid and contains the following "
                    + result.errors().size() + " error(s):\n" + String.join("\n", result.errors())
                    + "\nYou can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`");
        }
        configs.put(name, Map.copyOf(full));
        ConnectorRunner old = runners.remove(name);
        if (old != null) {
            old.shutdown();
        }
        startRunner(name, configs.config(name).orElseThrow());
        return !exists;
    }

    public void delete(String name) throws InterruptedException {
        requireExists(name);
        ConnectorRunner runner = runners.remove(name);
        if (runner != null) {
            runner.shutdown();
        }
        configs.remove(name);
        services.statuses().removeConnector(name);
        // Source offsets stay, as in Kafka Connect: a connector created again under the name resumes.
    }

    /** DELETE /connectors/{name}/offsets (KIP-875): only for a STOPPED source connector here. */
    public void resetOffsets(String name) throws InterruptedException {
        requireExists(name);
        if (configs.targetState(name) != TargetState.STOPPED) {
            throw new RequestException(400, "Connectors must be in the STOPPED state before their offsets can be"
                    + " modified. This can be done for the specified connector by issuing a 'PUT' request to the"
                    + " '/connectors/" + name + "/stop' endpoint");
        }
        if ("sink".equals(type(name))) {
            throw new RequestException(501, "Resetting the offsets of sink connectors is not supported here;"
                    + " their positions are the offsets of the consumer group connect-" + name);
        }
        services.offsets().removeAll(name);
    }

    public void pause(String name) throws InterruptedException {
        requireExists(name);
        configs.putTargetState(name, TargetState.PAUSED);
        ConnectorRunner runner = runners.get(name);
        if (runner != null) {
            runner.pause();
        }
    }

    public void resume(String name) throws InterruptedException {
        requireExists(name);
        TargetState before = configs.targetState(name);
        configs.putTargetState(name, TargetState.STARTED);
        ConnectorRunner runner = runners.get(name);
        if (before == TargetState.STOPPED || runner == null) {
            restartRunner(name);
        } else {
            runner.resume();
        }
    }

    public void stop(String name) throws InterruptedException {
        requireExists(name);
        configs.putTargetState(name, TargetState.STOPPED);
        restartRunner(name);
    }

    public void restart(String name, boolean includeTasks, boolean onlyFailed) {
        requireExists(name);
        ConnectorRunner runner = runners.get(name);
        if (runner == null) {
            restartRunner(name);
        } else {
            runner.restart(includeTasks, onlyFailed);
        }
    }

    public void restartTask(String name, int task) {
        requireExists(name);
        ConnectorRunner runner = runners.get(name);
        if (runner == null || !runner.restartTask(task)) {
            throw new RequestException(404, "Task " + name + "-" + task + " not found");
        }
    }

    /** A connector asked for its tasks to be recomputed (herder thread). */
    public void reconfigure(String name) {
        ConnectorRunner runner = runners.get(name);
        if (runner != null) {
            try {
                runner.reconfigure();
            } catch (Exception e) {
                LOG.warn("Reconfiguring the tasks of {} failed", name, e);
                services.statuses().putConnector(name, Status.failed(e, services.workerId()));
            }
        }
    }

    // ---- reads: safe from any thread

    public Set<String> names() {
        return configs.names();
    }

    public Optional<Map<String, String>> config(String name) {
        return configs.config(name);
    }

    /** "source" or "sink" (or "unknown" when its class is missing). */
    public String type(String name) {
        return configs.config(name).flatMap(c -> services.plugins().connector(c.get(ConnectorConfig.CONNECTOR_CLASS)))
                .map(PluginDescriptor::type).orElse("unknown");
    }

    public List<Map<String, String>> taskConfigs(String name) {
        ConnectorRunner runner = runners.get(name);
        return runner == null ? List.of() : runner.taskConfigs();
    }

    public Status connectorStatus(String name) {
        return services.statuses().connector(name).orElse(new Status(ConnectorState.UNASSIGNED, null, services.workerId()));
    }

    public Map<Integer, Status> taskStatuses(String name) {
        Map<Integer, Status> result = new LinkedHashMap<>();
        Map<Integer, Status> stored = services.statuses().tasks(name);
        for (int i = 0; i < taskConfigs(name).size(); i++) {
            result.put(i, stored.getOrDefault(i, new Status(ConnectorState.UNASSIGNED, null, services.workerId())));
        }
        return result;
    }

    public io.tributary.connect.plugins.Plugins plugins() {
        return services.plugins();
    }

    public OffsetStore offsets() {
        return services.offsets();
    }

    public String workerId() {
        return services.workerId();
    }

    public void requireExists(String name) {
        if (configs.config(name).isEmpty()) {
            throw RequestException.notFound(name);
        }
    }

    private void restartRunner(String name) {
        ConnectorRunner old = runners.remove(name);
        if (old != null) {
            old.shutdown();
        }
        configs.config(name).ifPresent(config -> startRunner(name, config));
    }

    private void startRunner(String name, Map<String, String> config) {
        Optional<PluginDescriptor> plugin = services.plugins().connector(config.get(ConnectorConfig.CONNECTOR_CLASS));
        if (plugin.isEmpty()) {
            services.statuses().putConnector(name, Status.failed(new IllegalStateException(
                    "No connector plugin " + config.get(ConnectorConfig.CONNECTOR_CLASS)), services.workerId()));
            return;
        }
        ConnectorRunner runner = new ConnectorRunner(name, config, plugin.get(), services);
        runners.put(name, runner);
        runner.start(configs.targetState(name));
    }

    /** Stops every connector and the herder thread. */
    @Override
    public void close() {
        CompletableFuture<Void> stopped = submit(() -> {
            runners.values().forEach(ConnectorRunner::shutdown);
            runners.clear();
            return null;
        });
        try {
            stopped.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Connectors did not all stop cleanly: {}", e.toString());
        }
        thread.shutdown();
    }

    /** The single herder thread. */
    public static ExecutorService newThread() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "connect-herder");
            t.setDaemon(true);
            return t;
        });
    }
}
