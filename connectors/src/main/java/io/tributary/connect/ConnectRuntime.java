package io.tributary.connect;

import io.tributary.connect.plugins.Plugins;
import io.tributary.connect.rest.RestServer;
import io.tributary.connect.runtime.BrokerBridge;
import io.tributary.connect.runtime.ConnectMetrics;
import io.tributary.connect.runtime.ConnectSettings;
import io.tributary.connect.runtime.ConnectorFileLoader;
import io.tributary.connect.runtime.Herder;
import io.tributary.connect.runtime.RuntimeServices;
import io.tributary.connect.runtime.StateFollower;
import io.tributary.connect.runtime.Workers;
import io.tributary.connect.state.ConfigStore;
import io.tributary.connect.state.OffsetStore;
import io.tributary.connect.state.StatusStore;
import io.tributary.core.BoundListener;
import io.tributary.core.api.BrokerApi;
import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.Listener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.common.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The embedded Kafka Connect runtime: loads plugins, replays its state from the internal topics, starts the
 * stored and the declared connectors, and serves the REST API. It reaches the broker only through
 * {@link BrokerApi}. In a cluster every member running it is a worker: it advertises itself, follows the
 * internal topics and runs its share of the connectors. Started after the broker (and gateway), stopped before them.
 */
public final class ConnectRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectRuntime.class);

    private final Herder herder;
    private final RestServer rest;
    private final ExecutorService taskThreads;
    private final Metrics metrics;
    private final List<BoundListener> bound;
    /** Follows the other members' changes; null for a standalone broker. */
    private final StateFollower follower;
    private final BrokerApi api;

    private ConnectRuntime(Herder herder, RestServer rest, ExecutorService taskThreads, Metrics metrics,
                           List<BoundListener> bound, StateFollower follower, BrokerApi api) {
        this.herder = herder;
        this.rest = rest;
        this.taskThreads = taskThreads;
        this.metrics = metrics;
        this.bound = bound;
        this.follower = follower;
        this.api = api;
    }

    /** Starts the runtime, or completes with null when connect.listeners is empty (disabled). */
    public static Future<ConnectRuntime> start(Vertx vertx, BrokerConfig config, BrokerApi api) {
        ConnectSettings settings = ConnectSettings.from(config);
        if (settings.listeners().isEmpty()) {
            return Future.succeededFuture(null);
        }
        BrokerBridge bridge = new BrokerBridge(vertx.getOrCreateContext(), api);
        Workers workers = new Workers(api.cluster());
        AtomicReference<String> workerId = new AtomicReference<>(workerId(settings, config, settings.listeners().get(0).port()));
        AtomicInteger threadCount = new AtomicInteger();
        ExecutorService taskThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "connect-task-" + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Metrics metrics = new Metrics();
        ExecutorService herderThread = Herder.newThread();
        OffsetStore offsets = new OffsetStore(bridge);
        StatusStore statuses = new StatusStore(bridge);
        ConfigStore configs = new ConfigStore(bridge);
        Herder[] herderRef = new Herder[1];
        // Plugin scanning and state replay block: they run on the herder thread, not the event loop.
        Future<Herder> herderLoaded = Future.fromCompletionStage(CompletableFuture.supplyAsync(() -> {
            Plugins plugins = Plugins.scan(settings.pluginPath());
            ConnectMetrics meters = new ConnectMetrics(api.metrics().registry(), statuses, configs::names, workerId::get);
            RuntimeServices services = new RuntimeServices(plugins, bridge, offsets, statuses, settings, metrics,
                    meters, workerId::get, taskThreads, name -> herderRef[0].submit(() -> {
                        herderRef[0].reconfigure(name);
                        return null;
                    }), workers.clustered());
            herderRef[0] = new Herder(services, configs, workers, herderThread);
            try {
                configs.load();
                offsets.load();
                statuses.load();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return herderRef[0];
        }, herderThread), vertx.getOrCreateContext());
        // The REST API binds before anything runs, so the worker id names the port it really got (port 0 too);
        // requests reach the herder thread only after the starts queued below.
        return herderLoaded.compose(herder -> {
            RestServer rest = new RestServer(vertx, herder, herder.plugins(), version());
            return rest.start(settings.listeners(), config).compose(bound -> {
                workerId.set(workerId(settings, config, bound.get(0).port()));
                return Future.fromCompletionStage(herder.submit(() -> {
                    // Only a member that has its state loaded takes part in placement.
                    bridge.await(() -> api.cluster().advertise(Workers.SERVICE, workerId.get()));
                    herder.startAll();
                    declareFromFile(herder, settings.configFile());
                    return herder;
                }), vertx.getOrCreateContext()).map(started -> {
                    StateFollower follower = workers.clustered() ? StateFollower.start(herder, workers) : null;
                    return new ConnectRuntime(herder, rest, taskThreads, metrics, bound, follower, api);
                });
            }).recover(e -> rest.stop().transform(ignored -> {
                herder.close();
                taskThreads.shutdownNow();
                return Future.failedFuture(e);
            }));
        }).onSuccess(runtime -> LOG.info("Connect runtime started on {} as worker {}", runtime.boundListeners(),
                workerId.get()));
    }

    /**
     * The worker id statuses report: the host:port of the first connect listener, with the host the broker
     * advertises to Kafka clients when the listener binds every interface.
     */
    static String workerId(ConnectSettings settings, BrokerConfig config, int boundPort) {
        Listener first = settings.listeners().get(0);
        String host = first.host();
        if (first.isWildcardHost() && !config.advertisedListeners().isEmpty()) {
            host = config.advertisedListeners().get(0).host();
        }
        return host + ":" + boundPort;
    }

    private static void declareFromFile(Herder herder, String configFile) {
        if (configFile == null || configFile.isBlank()) {
            return;
        }
        try {
            for (ConnectorFileLoader.Declared declared : ConnectorFileLoader.read(Path.of(configFile))) {
                if (!Objects.equals(herder.config(declared.name()).map(c -> withoutName(c)).orElse(null),
                        withoutName(declared.config()))) {
                    herder.put(declared.name(), declared.config(), false);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("connect.config.file " + configFile + ": " + e.getMessage(), e);
        }
    }

    private static java.util.Map<String, String> withoutName(java.util.Map<String, String> config) {
        java.util.Map<String, String> copy = new java.util.HashMap<>(config);
        copy.remove("name");
        return copy;
    }

    private static String version() {
        String version = ConnectRuntime.class.getPackage().getImplementationVersion();
        return version == null ? "0.1.0-SNAPSHOT" : version;
    }

    public List<BoundListener> boundListeners() {
        return bound;
    }

    public Herder herder() {
        return herder;
    }

    /**
     * Stops the REST API and following the cluster, then every connector and task (their last offsets are
     * stored; in a cluster they report UNASSIGNED), and only then withdraws from placement, so the other members
     * take the tasks over once they no longer run here; then the threads.
     */
    public Future<Void> stop() {
        return rest.stop().transform(ignored -> Future.fromCompletionStage(
                java.util.concurrent.CompletableFuture.runAsync(() -> {
                    if (follower != null) {
                        follower.close();
                    }
                    herder.close();
                    try {
                        api.cluster().withdraw(Workers.SERVICE).toCompletionStage().toCompletableFuture()
                                .get(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (Exception e) {
                        LOG.warn("Could not withdraw the connect worker advertisement: {}", e.toString());
                    }
                    taskThreads.shutdownNow();
                    metrics.close();
                })));
    }
}
