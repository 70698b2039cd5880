package io.tributary.connect.runtime;

import io.tributary.connect.plugins.PluginDescriptor;
import io.tributary.connect.state.ConfigStore;
import io.tributary.connect.state.ConnectorState;
import io.tributary.connect.state.OffsetStore;
import io.tributary.connect.state.RestartRequest;
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
import java.util.function.IntPredicate;

/**
 * Decides what runs: every change to connectors (create, reconfigure, pause, restart, delete) is made on one
 * herder thread, in order, persisted to the config topic first and then applied to the running connectors.
 * In a cluster every member's herder follows the internal topics ({@link #tick}) and runs the connector
 * instances and tasks that {@link Placement} gives it among the live {@link Workers}, so changes made through any
 * member reach all of them and the parts of a member that left move to the others.
 * Connector code may block, which is why none of this runs on an event loop.
 */
public final class Herder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Herder.class);

    private final RuntimeServices services;
    private final ConfigStore configs;
    private final Workers workers;
    private final ConnectorValidator validator;
    private final ExecutorService thread;
    /** This member's part of each connector; written on the herder thread, read by REST handlers. */
    private final Map<String, ConnectorRunner> runners = new ConcurrentHashMap<>();
    /** Connectors whose missing plugin was reported, with the config it was reported for (herder thread). */
    private final Map<String, Map<String, String>> missingPlugins = new HashMap<>();
    private final Handover handover;
    /** The last problem logged per connector or followed topic, so a repeating one is logged once (herder thread). */
    private final Map<String, String> problems = new HashMap<>();

    public Herder(RuntimeServices services, ConfigStore configs, Workers workers, ExecutorService herderThread) {
        this.services = services;
        this.configs = configs;
        this.workers = workers;
        this.validator = new ConnectorValidator(services.plugins());
        this.thread = herderThread;
        this.handover = new Handover(services.statuses(), services::workerId);
        configs.onRestartRequest(this::restartRequested);
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

    /** Starts this member's part of every stored connector in its stored target state (herder thread). */
    public void startAll() throws InterruptedException {
        reconcile();
    }

    /** Reads what the other members wrote to the internal topics, then runs what this member owns (herder thread). */
    public void tick() throws InterruptedException {
        // A topic whose leader just died may not answer for a while: still place what can be placed.
        follow("configs", configs::catchUp);
        follow("statuses", services.statuses()::catchUp);
        follow("offsets", services.offsets()::catchUp);
        reconcile();
    }

    private interface CatchUp {
        void run() throws InterruptedException;
    }

    private void follow(String what, CatchUp catchUp) throws InterruptedException {
        try {
            catchUp.run();
            problems.remove(what);
        } catch (RuntimeException e) {
            warnOnce(what, "Could not read the connect " + what + " topic; trying again", e);
        }
    }

    /** Logs a problem that repeats on every tick only when it first occurs or changes. */
    private void warnOnce(String key, String message, RuntimeException e) {
        if (!String.valueOf(e.getMessage()).equals(problems.put(key, String.valueOf(e.getMessage())))) {
            LOG.warn("{}: {}", message, e.toString());
        }
    }

    /**
     * Makes this member run exactly its share: the connector instances and tasks placed on it, in their target
     * states; stops parts deleted, changed or placed elsewhere (herder thread).
     */
    public void reconcile() throws InterruptedException {
        Map<Integer, String> live = workers.live();
        int self = workers.localId();
        // Not (or no longer) advertised: own nothing, so nothing runs twice.
        List<Integer> nodes = live.containsKey(self) ? List.copyOf(live.keySet()) : List.of();
        Set<String> liveIds = Set.copyOf(live.values());
        for (String name : List.copyOf(runners.keySet())) {
            Optional<Map<String, String>> config = configs.config(name);
            if (config.isEmpty() || !config.get().equals(runners.get(name).config())) {
                runners.remove(name).shutdown(false);
            }
        }
        missingPlugins.keySet().retainAll(configs.names());
        handover.retainConnectors(configs.names());
        for (String name : configs.names()) {
            Map<String, String> config = configs.config(name).orElse(null);
            if (config == null) {
                continue;
            }
            boolean ownsConnector = Placement.owner(Placement.connectorUnit(name), nodes) == self;
            ConnectorRunner runner = runners.get(name);
            if (runner == null) {
                Optional<PluginDescriptor> plugin = services.plugins().connector(config.get(ConnectorConfig.CONNECTOR_CLASS));
                if (plugin.isEmpty()) {
                    if (ownsConnector && !config.equals(missingPlugins.get(name))) {
                        missingPlugins.put(name, config);
                        services.statuses().putConnector(name, Status.failed(new IllegalStateException(
                                "No connector plugin " + config.get(ConnectorConfig.CONNECTOR_CLASS)), services.workerId()));
                    }
                    continue;
                }
                runner = new ConnectorRunner(name, config, plugin.get(), services, configs);
                runners.put(name, runner);
            }
            try {
                IntPredicate ownsTask = id -> Placement.owner(Placement.taskUnit(name, id), nodes) == self;
                runner.apply(configs.targetState(name), ownsConnector, ownsTask,
                        id -> handover.mayStart(name, id, liveIds));
                handover.correctStatuses(name, runner, ownsTask);
                problems.remove(name);
            } catch (RuntimeException e) {
                // e.g. the offsets topic has no leader right now: the next reconcile tries again
                warnOnce(name, "Could not bring connector " + name + " in line with its placement", e);
            }
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
            old.shutdown(false); // even an unchanged config restarts the connector, as it always did
        }
        reconcile();
        return !exists;
    }

    public void delete(String name) throws InterruptedException {
        requireExists(name);
        ConnectorRunner runner = runners.remove(name);
        if (runner != null) {
            runner.shutdown(false);
        }
        configs.remove(name);
        services.statuses().removeConnector(name);
        reconcile();
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
        reconcile();
    }

    public void resume(String name) throws InterruptedException {
        requireExists(name);
        configs.putTargetState(name, TargetState.STARTED);
        reconcile();
    }

    public void stop(String name) throws InterruptedException {
        requireExists(name);
        configs.putTargetState(name, TargetState.STOPPED);
        reconcile();
    }

    /** Restarts this member's part right away and asks the other workers, through the config topic, for theirs. */
    public void restart(String name, boolean includeTasks, boolean onlyFailed) throws InterruptedException {
        requireExists(name);
        ConnectorRunner runner = runners.get(name);
        if (runner != null) {
            runner.restart(includeTasks, onlyFailed);
        } else {
            reconcile();
        }
        if (hasOtherWorkers()) {
            configs.putRestartRequest(new RestartRequest(name, null, includeTasks, onlyFailed, workers.localId()));
        }
    }

    public void restartTask(String name, int task) throws InterruptedException {
        requireExists(name);
        ConnectorRunner runner = runners.get(name);
        if (runner != null && runner.restartTask(task)) {
            return;
        }
        if (task < 0 || task >= taskConfigs(name).size() || !hasOtherWorkers()) {
            throw new RequestException(404, "Task " + name + "-" + task + " not found");
        }
        configs.putRestartRequest(new RestartRequest(name, task, false, false, workers.localId()));
    }

    /** A restart asked for through another member (herder thread, while following the config topic). */
    private void restartRequested(RestartRequest request) {
        if (request.origin() == workers.localId()) {
            return; // done when it was asked for
        }
        ConnectorRunner runner = runners.get(request.connector());
        if (runner == null) {
            return;
        }
        if (request.task() == null) {
            runner.restart(request.includeTasks(), request.onlyFailed());
        } else {
            runner.restartTask(request.task());
        }
    }

    private boolean hasOtherWorkers() {
        return workers.live().keySet().stream().anyMatch(id -> id != workers.localId());
    }

    /** A connector asked for its tasks to be recomputed (herder thread). */
    public void reconfigure(String name) {
        ConnectorRunner runner = runners.get(name);
        if (runner != null) {
            try {
                runner.reconfigure();
                reconcile();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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

    /** The task configs the connector instance last published (from whichever member runs it). */
    public List<Map<String, String>> taskConfigs(String name) {
        return configs.taskConfigs(name).map(ConfigStore.TaskConfigs::tasks).orElse(List.of());
    }

    public Status connectorStatus(String name) {
        return liveOrUnassigned(services.statuses().connector(name).orElse(null));
    }

    public Map<Integer, Status> taskStatuses(String name) {
        Map<Integer, Status> result = new LinkedHashMap<>();
        Map<Integer, Status> stored = services.statuses().tasks(name);
        for (int i = 0; i < taskConfigs(name).size(); i++) {
            result.put(i, liveOrUnassigned(stored.get(i)));
        }
        return result;
    }

    /** A stored status claiming a part runs on a member that is gone reads UNASSIGNED until a live one reports. */
    private Status liveOrUnassigned(Status stored) {
        if (stored == null) {
            return new Status(ConnectorState.UNASSIGNED, null, services.workerId());
        }
        if (Handover.active(stored.state()) && !workers.liveWorkerIds().contains(stored.workerId())) {
            return new Status(ConnectorState.UNASSIGNED, null, stored.workerId());
        }
        return stored;
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

    /** Stops every connector and the herder thread; in a cluster the tasks are handed over to the other workers. */
    @Override
    public void close() {
        CompletableFuture<Void> stopped = submit(() -> {
            runners.values().forEach(runner -> runner.shutdown(services.clustered()));
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
