package io.tributary.connect.testing;

import io.tributary.connect.ConnectRuntime;
import io.tributary.core.api.BrokerApi;
import io.tributary.core.api.NewRecord;
import io.tributary.core.api.Records;
import io.tributary.core.api.RecordsRead;
import io.tributary.core.api.StoredRecord;
import io.tributary.core.config.BrokerConfig;
import io.tributary.core.testing.EmbeddedBroker;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A real broker with the connector runtime on it, as the server runs them: the runtime on the broker's
 * Vert.x, talking to it only through the broker API, its REST API on a free port. {@link #restart()} stops
 * both cleanly and starts them again on the same data.
 */
public final class ConnectHarness implements AutoCloseable {

    private final Path dataDir;
    private final Map<String, String> overrides;
    private EmbeddedBroker broker;
    private ConnectRuntime runtime;
    private RestClient rest;

    private ConnectHarness(Path dataDir, Map<String, String> overrides) {
        this.dataDir = dataDir;
        this.overrides = overrides;
    }

    public static ConnectHarness start(Path dataDir, Map<String, String> overrides) {
        ConnectHarness harness = new ConnectHarness(dataDir, overrides);
        harness.startAll();
        return harness;
    }

    public static ConnectHarness start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    private void startAll() {
        Map<String, String> props = new HashMap<>();
        props.put("offsets.topic.num.partitions", "1");
        props.put("group.consumer.heartbeat.interval.ms", "300");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("connect.offset.flush.interval.ms", "500");
        props.put("connect.task.restart.backoff.ms", "200");
        props.put("connect.task.restart.backoff.max.ms", "2000");
        props.putAll(overrides);
        broker = EmbeddedBroker.start(dataDir, props);
        Map<String, String> runtimeProps = new HashMap<>(props);
        runtimeProps.put("log.dirs", dataDir.toString());
        runtimeProps.putIfAbsent("connect.listeners", "HTTP://127.0.0.1:0");
        BrokerConfig config = BrokerConfig.parse(runtimeProps);
        runtime = await(ConnectRuntime.start(broker.broker().vertx(), config, broker.broker().api()));
        rest = new RestClient("http://127.0.0.1:" + runtime.boundListeners().get(0).port());
    }

    public RestClient rest() {
        return rest;
    }

    public ConnectRuntime runtime() {
        return runtime;
    }

    public BrokerApi api() {
        return broker.broker().api();
    }

    /** Stops runtime and broker cleanly and starts both again on the same data directory. */
    public void restart() {
        stop();
        startAll();
    }

    public void stop() {
        if (runtime != null) {
            await(runtime.stop());
            runtime = null;
        }
        if (broker != null) {
            broker.stop();
            broker = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Appends string records to one partition. */
    public void append(String topic, List<String> values) {
        List<NewRecord> records = values.stream()
                .map(v -> NewRecord.of(null, v == null ? null : v.getBytes(StandardCharsets.UTF_8))).toList();
        onContext(() -> api().records().append(topic, 0, records));
    }

    /** Appends keyed string records to one partition. */
    public void append(String topic, List<String> keys, List<String> values) {
        List<NewRecord> records = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String key = keys.get(i);
            String value = values.get(i);
            records.add(NewRecord.of(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
        }
        onContext(() -> api().records().append(topic, 0, records));
    }

    /** Every record of partition 0 of a topic, from the start (none when it does not exist). */
    public List<StoredRecord> readAll(String topic) {
        if (api().topics().describe(topic).isEmpty()) {
            return List.of();
        }
        TopicPartition tp = new TopicPartition(topic, 0);
        List<StoredRecord> all = new ArrayList<>();
        long offset = onContext(() -> api().records().offsetFor(tp, Records.EARLIEST));
        while (true) {
            long from = offset;
            RecordsRead read = onContext(() -> api().records().read(tp, from, 1 << 20));
            all.addAll(read.records());
            if (read.nextOffset() >= read.highWatermark() || read.nextOffset() == from) {
                return all;
            }
            offset = read.nextOffset();
        }
    }

    public List<String> readValues(String topic) {
        return readAll(topic).stream().map(r -> r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    /** Runs a broker API call on a broker context and waits for it, as a gateway would make it. */
    public <T> T onContext(Supplier<Future<T>> call) {
        Context context = broker.broker().vertx().getOrCreateContext();
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> call.get().onComplete(ar -> {
            if (ar.succeeded()) {
                result.complete(ar.result());
            } else {
                result.completeExceptionally(ar.cause());
            }
        }));
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
