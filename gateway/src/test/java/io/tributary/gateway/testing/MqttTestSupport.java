package io.tributary.gateway.testing;

import io.tributary.core.api.BrokerApi;
import io.tributary.core.api.StoredRecord;
import io.tributary.core.config.BrokerConfig;
import io.tributary.core.testing.EmbeddedBroker;
import io.tributary.gateway.mqtt.MqttGateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.common.TopicPartition;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A real broker with the MQTT gateway on a free loopback port, for MQTT integration tests;
 * {@link #restart()} stops both cleanly and starts them again on the same data.
 */
public final class MqttTestSupport implements AutoCloseable {

    private final EmbeddedBroker broker;
    private final Map<String, String> props;
    private MqttGateway gateway;
    private int mqttPort;

    private MqttTestSupport(EmbeddedBroker broker, Map<String, String> props) {
        this.broker = broker;
        this.props = props;
    }

    public static MqttTestSupport start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    public static MqttTestSupport start(Path dataDir, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("mqtt.listeners", "MQTT://127.0.0.1:0");
        props.put("http.listeners", "");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.putAll(overrides);
        MqttTestSupport support = new MqttTestSupport(EmbeddedBroker.start(dataDir, props), props);
        support.startGateway();
        return support;
    }

    private void startGateway() {
        Map<String, String> all = new HashMap<>(props);
        all.put("listeners", "PLAINTEXT://127.0.0.1:0");
        all.put("log.dirs", broker.dataDir().toString());
        BrokerConfig config = BrokerConfig.parse(all);
        gateway = new MqttGateway(vertx(), config, api());
        mqttPort = await(() -> gateway.start()).get(0).port();
    }

    public int mqttPort() {
        return mqttPort;
    }

    public MqttGateway mqttGateway() {
        return gateway;
    }

    public String mqttUri() {
        return "tcp://127.0.0.1:" + mqttPort();
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public Vertx vertx() {
        return broker.broker().vertx();
    }

    public BrokerApi api() {
        return broker.broker().api();
    }

    /** Every record now in partition 0 of {@code topic}. */
    public List<StoredRecord> records(String topic) {
        return records(topic, 0);
    }

    public List<StoredRecord> records(String topic, int partition) {
        TopicPartition tp = new TopicPartition(topic, partition);
        List<StoredRecord> out = new ArrayList<>();
        long offset = await(() -> api().records().offsetFor(tp, -2L));
        while (true) {
            long from = offset;
            var read = await(() -> api().records().read(tp, from, 1 << 20));
            out.addAll(read.records());
            if (read.nextOffset() <= offset || read.nextOffset() >= read.highWatermark()) {
                return out;
            }
            offset = read.nextOffset();
        }
    }

    /** Stops the gateway and broker cleanly and starts both again on the same data. */
    public void restart() {
        await(() -> gateway.stop());
        broker.restart();
        startGateway();
    }

    /** Runs {@code call} on a Vert.x context and waits for its result. */
    public <T> T await(Supplier<Future<T>> call) {
        Promise<T> promise = Promise.promise();
        vertx().getOrCreateContext().runOnContext(v -> call.get().onComplete(promise));
        try {
            return promise.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (gateway != null) {
                await(() -> gateway.stop());
            }
        } finally {
            broker.close();
        }
    }
}
