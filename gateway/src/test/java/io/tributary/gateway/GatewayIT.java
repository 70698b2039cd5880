package io.tributary.gateway;

import io.tributary.core.BoundListener;
import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway as the server starts it: MQTT and HTTP on their own ports, MQTT over WebSocket on the HTTP one. */
class GatewayIT {

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(dir, Map.of("mqtt.listeners", "MQTT://127.0.0.1:0",
                "http.listeners", "HTTP://127.0.0.1:0", "offsets.topic.num.partitions", "1"));
        gateway = Gateway.start(broker.broker().vertx(), broker.broker().services().config(), broker.broker().api())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        broker.stop();
    }

    @Test
    void mqttOverTcpAndOverTheHttpPortBothLandInTheLogAndMetricsAreScraped() throws Exception {
        assertThat(gateway.boundListeners()).extracting(BoundListener::name).containsExactly("MQTT", "HTTP");
        int mqttPort = port("MQTT");
        int httpPort = port("HTTP");

        publish("tcp://127.0.0.1:" + mqttPort, "gw-tcp", "plant/line1/temp", "21.5");
        publish("ws://127.0.0.1:" + httpPort + "/mqtt", "gw-ws", "plant/line2/temp", "19.0");

        List<String> read = new ArrayList<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition tp = new TopicPartition("plant", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (read.size() < 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    read.add(r.key() + "=" + r.value());
                }
            }
        }
        assertThat(read).containsExactly("plant/line1/temp=21.5", "plant/line2/temp=19.0");

        MqttClient connected = new MqttClient("tcp://127.0.0.1:" + mqttPort, "gw-stays", new MemoryPersistence());
        connected.connect(new MqttConnectOptions());
        try {
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains("topic=\"plant\"")
                    .contains("tributary_mqtt_connections{node=\"0\"} 1.0")
                    .contains("tributary_mqtt_messages_received_total{node=\"0\",qos=\"1\"} 2.0");
        } finally {
            connected.disconnect();
            connected.close();
        }
    }

    private void publish(String uri, String clientId, String topic, String payload) throws Exception {
        MqttClient client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.connect(new MqttConnectOptions());
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
        client.disconnect();
        client.close();
    }

    private int port(String name) {
        return gateway.boundListeners().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow().port();
    }
}
