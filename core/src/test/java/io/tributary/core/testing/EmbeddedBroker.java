package io.tributary.core.testing;

import io.tributary.core.Broker;
import io.tributary.core.config.BrokerConfig;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real broker started in this JVM on a free loopback port with its data in a given directory,
 * for integration tests. {@link #restart()} stops it cleanly and starts it again on the same data.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private final Path dataDir;
    private final Map<String, String> overrides;
    private Broker broker;

    private EmbeddedBroker(Path dataDir, Map<String, String> overrides) {
        this.dataDir = dataDir;
        this.overrides = overrides;
    }

    public static EmbeddedBroker start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    public static EmbeddedBroker start(Path dataDir, Map<String, String> overrides) {
        EmbeddedBroker embedded = new EmbeddedBroker(dataDir, overrides);
        embedded.startBroker();
        return embedded;
    }

    private void startBroker() {
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "PLAINTEXT://127.0.0.1:0");
        props.put("log.dirs", dataDir.toString());
        props.put("num.network.threads", "2");
        props.putAll(overrides);
        try {
            broker = Broker.start(BrokerConfig.parse(props)).toCompletionStage().toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Broker did not start", e);
        }
    }

    /** host:port of the first listener, for bootstrap.servers. */
    public String bootstrapServers() {
        var listener = broker.boundListeners().get(0);
        return listener.host() + ":" + listener.port();
    }

    public int port() {
        return broker.boundListeners().get(0).port();
    }

    public Broker broker() {
        return broker;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Clean stop then start on the same data dir (the port changes). */
    public void restart() {
        stop();
        startBroker();
    }

    public void stop() {
        if (broker == null) {
            return;
        }
        try {
            broker.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Broker did not stop", e);
        } finally {
            broker = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
