package io.tributary.gateway;

import io.tributary.core.testing.EmbeddedBroker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The /admin views and the console's entry points, with real Kafka and MQTT clients connected. */
class AdminEndpointsIT {

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private Gateway gateway;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(dir, Map.of("mqtt.listeners", "MQTT://127.0.0.1:0",
                "http.listeners", "HTTP://127.0.0.1:0", "offsets.topic.num.partitions", "1",
                "group.initial.rebalance.delay.ms", "0"));
        gateway = Gateway.start(broker.broker().vertx(), broker.broker().services().config(), broker.broker().api())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        broker.stop();
    }

    @Test
    void clusterTopicsGroupsAndMqttClientsAreShown() throws Exception {
        assertThat(post("/admin/topics", "{\"topic_name\":\"orders\",\"partitions_count\":2,"
                + "\"configs\":{\"retention.ms\":\"86400000\"}}").statusCode()).isEqualTo(201);
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("orders", i % 2, "k" + i, "order-" + i)).get();
            }
        }
        TopicPartition p0 = new TopicPartition("orders", 0);
        MqttClient device = new MqttClient("tcp://127.0.0.1:" + port("MQTT"), "sensor-7", new MemoryPersistence());
        device.connect(new MqttConnectOptions());
        device.subscribe("alerts/#", 1);
        try (KafkaConsumer<String, String> consumer = consumer("billing")) {
            consumer.subscribe(List.of("orders"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (consumer.assignment().size() < 2 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100));
            }
            consumer.commitSync(Map.of(p0, new OffsetAndMetadata(1)));

            JsonObject cluster = new JsonObject(getOk("/admin/cluster"));
            assertThat(cluster.getString("cluster_id")).isEqualTo(broker.broker().clusterId());
            assertThat(cluster.getInteger("controller_id")).isZero();
            JsonObject member = cluster.getJsonArray("members").getJsonObject(0);
            assertThat(member.getInteger("node_id")).isZero();
            assertThat(member.getInteger("port")).isEqualTo(broker.port());
            assertThat(member.getBoolean("self")).isTrue();

            JsonArray topics = new JsonArray(getOk("/admin/topics"));
            JsonObject orders = find(topics, "name", "orders");
            assertThat(orders.getInteger("partitions")).isEqualTo(2);
            assertThat(orders.getBoolean("internal")).isFalse();
            assertThat(orders.getLong("size_bytes")).isPositive();
            assertThat(orders.getLong("retention_ms")).isEqualTo(86_400_000L);
            assertThat(find(topics, "name", "__consumer_offsets").getBoolean("internal")).isTrue();

            JsonObject topic = new JsonObject(getOk("/admin/topics/orders"));
            JsonObject partition0 = topic.getJsonArray("partitions").getJsonObject(0);
            assertThat(partition0.getInteger("leader")).isZero();
            assertThat(partition0.getJsonArray("replicas")).containsExactly(0);
            assertThat(partition0.getJsonArray("isr")).containsExactly(0);
            assertThat(partition0.getLong("log_start_offset")).isZero();
            assertThat(partition0.getLong("log_end_offset")).isEqualTo(5);
            assertThat(topic.getJsonObject("configs").getString("retention.ms")).isEqualTo("86400000");
            assertThat(topic.getJsonObject("configs").getString("cleanup.policy")).isEqualTo("delete");

            JsonObject groupRow = find(new JsonArray(getOk("/admin/groups")), "group_id", "billing");
            assertThat(groupRow.getString("type")).isEqualTo("classic");
            assertThat(groupRow.getString("state")).isEqualTo("Stable");
            assertThat(groupRow.getInteger("members")).isEqualTo(1);

            JsonObject group = new JsonObject(getOk("/admin/groups/billing"));
            assertThat(group.getLong("total_lag")).isEqualTo(4);
            JsonObject groupMember = group.getJsonArray("members").getJsonObject(0);
            assertThat(groupMember.getString("client_id")).isEqualTo("billing-client");
            assertThat(groupMember.getJsonArray("assignments")).hasSize(2);
            assertThat(group.getJsonArray("offsets")).containsExactly(new JsonObject().put("topic", "orders")
                    .put("partition", 0).put("committed_offset", 1).put("log_end_offset", 5).put("lag", 4));

            JsonObject client = new JsonArray(getOk("/admin/mqtt/clients")).getJsonObject(0);
            assertThat(client.getString("client_id")).isEqualTo("sensor-7");
            assertThat(client.containsKey("username")).isTrue();
            assertThat(client.getString("username")).isNull(); // anonymous
            assertThat(client.getString("remote_address")).startsWith("127.0.0.1:");
            assertThat(client.getString("protocol_version")).isEqualTo("3.1.1");
            assertThat(client.getString("connected_since")).endsWith("Z");
            assertThat(client.getInteger("subscriptions")).isEqualTo(1);
        } finally {
            device.disconnect();
            device.close();
        }
        // The gateway handles the DISCONNECT on its own event loop, after Paho's disconnect() has returned.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(new JsonArray(getOk("/admin/mqtt/clients"))).isEmpty());

        HttpResponse<String> missingGroup = get("/admin/groups/nobody");
        assertThat(missingGroup.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(missingGroup.body()).getInteger("error_code")).isEqualTo(404);
        assertThat(get("/admin/topics/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void theConsoleIsServedFromTheJarAndTheRootRedirectsToIt() throws Exception {
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue("/console/");
        assertThat(get("/console").headers().firstValue("Location")).hasValue("/console/");

        HttpResponse<String> page = get("/console/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\"></script>")
                .doesNotContain("http://", "https://");
        HttpResponse<String> script = get("/console/app.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type").orElseThrow()).contains("javascript");
        assertThat(script.body()).doesNotContain("innerHTML");
        assertThat(get("/console/styles.css").statusCode()).isEqualTo(200);
        assertThat(get("/console/missing.js").statusCode()).isEqualTo(404);
    }

    private static JsonObject find(JsonArray rows, String field, String value) {
        for (int i = 0; i < rows.size(); i++) {
            if (value.equals(rows.getJsonObject(i).getString(field))) {
                return rows.getJsonObject(i);
            }
        }
        throw new AssertionError("No row with " + field + "=" + value + " in " + rows.encode());
    }

    private String getOk(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port("HTTP") + path;
    }

    private int port(String name) {
        return gateway.boundListeners().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow().port();
    }

    private KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-client");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }
}
