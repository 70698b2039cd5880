package io.tributary.gateway.http;

import io.tributary.core.config.BrokerConfig;
import io.tributary.core.testing.EmbeddedBroker;
import io.tributary.gateway.mqtt.MqttClients;
import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real broker with the HTTP gateway on a free port, plus the clients tests drive it with: the JDK's
 * HttpClient and the Apache Kafka Java client.
 */
final class HttpTestBroker implements AutoCloseable {

    final EmbeddedBroker broker;
    final HttpGateway gateway;
    final int port;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    private HttpTestBroker(EmbeddedBroker broker, HttpGateway gateway, int port) {
        this.broker = broker;
        this.gateway = gateway;
        this.port = port;
    }

    static HttpTestBroker start(Path dataDir, Map<String, String> overrides, Handler<ServerWebSocket> mqtt) {
        Map<String, String> props = new HashMap<>(overrides);
        props.put("http.listeners", "HTTP://127.0.0.1:0");
        props.putIfAbsent("group.initial.rebalance.delay.ms", "0");
        EmbeddedBroker broker = EmbeddedBroker.start(dataDir, props);
        Map<String, String> config = new HashMap<>(props);
        config.put("log.dirs", dataDir.toString());
        config.put("num.network.threads", "2");
        HttpGateway gateway = new HttpGateway(broker.broker().vertx(), BrokerConfig.parse(config),
                broker.broker().api(), mqtt, MqttClients.NONE);
        try {
            int port = gateway.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).get(0).port();
            return new HttpTestBroker(broker, gateway, port);
        } catch (Exception e) {
            broker.close();
            throw new IllegalStateException("HTTP gateway did not start", e);
        }
    }

    static HttpTestBroker start(Path dataDir) {
        return start(dataDir, Map.of(), null);
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    // ---- HTTP

    /** A response with its body parsed as JSON when it is JSON. */
    record Reply(int status, String contentType, String body, Map<String, String> headers) {

        JsonObject json() {
            return new JsonObject(body);
        }

        JsonArray array() {
            return new JsonArray(body);
        }
    }

    Reply send(String method, String path, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> answered = new HashMap<>();
            response.headers().map().forEach((name, values) -> answered.put(name.toLowerCase(java.util.Locale.ROOT),
                    String.join(",", values)));
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.body(), answered);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    Reply get(String path) {
        return send("GET", path, null, null, Map.of());
    }

    Reply post(String path, String contentType, String body) {
        return send("POST", path, contentType, body, Map.of());
    }

    Reply postJson(String path, Object body) {
        return post(path, MediaTypes.KAFKA_V2, body == null ? null : io.vertx.core.json.Json.encode(body));
    }

    Reply delete(String path) {
        return send("DELETE", path, null, null, Map.of());
    }

    // ---- topics and Kafka clients

    void createTopic(String topic, int partitions) {
        Reply created = postJson("/admin/topics", new JsonObject().put("topic_name", topic).put("partitions_count", partitions));
        if (created.status() != 201) {
            throw new IllegalStateException("Topic " + topic + " not created: " + created);
        }
    }

    KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(p);
    }

    KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> extra) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.putAll(extra);
        return new KafkaConsumer<>(p);
    }

    /** Every record of a topic from the beginning, read with a Kafka consumer using manual assignment. */
    List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int partitions, int expected) {
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(Map.of())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long deadline = System.currentTimeMillis() + 30_000;
            while (got.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
        }
        return got;
    }

    @Override
    public void close() {
        try {
            gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("HTTP gateway did not stop", e);
        } finally {
            broker.close();
        }
    }
}
