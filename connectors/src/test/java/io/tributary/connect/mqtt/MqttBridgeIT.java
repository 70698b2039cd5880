package io.tributary.connect.mqtt;

import io.tributary.connect.testing.ConnectHarness;
import io.tributary.connect.testing.MosquittoServer;
import io.tributary.core.api.StoredRecord;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/** The MQTT source and sink bridging a real Mosquitto broker. */
class MqttBridgeIT {

    @TempDir
    static Path dir;
    private static MosquittoServer mosquitto;
    private static ConnectHarness harness;

    @BeforeAll
    static void start() throws Exception {
        var binary = MosquittoServer.binary();
        assumeThat(binary).as("mosquitto binary (apt-get install mosquitto)").isPresent();
        mosquitto = MosquittoServer.start(binary.get(), dir);
        harness = ConnectHarness.start(dir.resolve("data"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @Test
    void messagesFromTheExternalBrokerBecomeRecordsKeyedByTheirMqttTopic() throws Exception {
        assertThat(harness.rest().put("/connectors/mqtt-in/config", Map.of(
                "connector.class", "MqttSourceConnector", "mqtt.server.uri", mosquitto.uri(),
                "mqtt.topics", "sensors/#", "kafka.topic", "readings",
                "key.converter", "org.apache.kafka.connect.storage.StringConverter",
                "value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter")).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> harness.rest().taskState("mqtt-in").equals("RUNNING"));

        try (Device d = new Device(client("device-1"))) {
            MqttClient device = d.client();
            // The subscription is made when the task starts; publish until the first message arrives.
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                device.publish("sensors/probe", "p".getBytes(StandardCharsets.UTF_8), 1, false);
                return !harness.readAll("readings").isEmpty();
            });
            for (int i = 0; i < 20; i++) {
                device.publish("sensors/" + (i % 4) + "/temp", ("t" + i).getBytes(StandardCharsets.UTF_8), 1, false);
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> readings().size() == 20);
        List<StoredRecord> readings = readings();
        assertThat(readings).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "t" + i).toList());
        assertThat(readings).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "sensors/" + (i % 4) + "/temp").toList());
    }

    @Test
    void recordsArePublishedToTheExternalBrokerUnderATopicMadeFromTheirKey() throws Exception {
        List<String> arrived = new CopyOnWriteArrayList<>();
        try (Device l = new Device(client("listener"))) {
            MqttClient listener = l.client();
            listener.subscribe("devices/+/cmd", 1, (topic, message) ->
                    arrived.add(topic + "=" + new String(message.getPayload(), StandardCharsets.UTF_8)));
            harness.append("commands", List.of("d1", "d2", "d1"), List.of("on", "off", "blink"));
            assertThat(harness.rest().put("/connectors/mqtt-out/config", Map.of(
                    "connector.class", "MqttSinkConnector", "mqtt.server.uri", mosquitto.uri(),
                    "topics", "commands", "mqtt.topic", "devices/${key}/cmd",
                    "key.converter", "org.apache.kafka.connect.storage.StringConverter",
                    "value.converter", "org.apache.kafka.connect.storage.StringConverter")).status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(20)).until(() -> arrived.size() == 3);
        }
        assertThat(arrived).containsExactly("devices/d1/cmd=on", "devices/d2/cmd=off", "devices/d1/cmd=blink");
    }

    private static List<StoredRecord> readings() {
        return harness.readAll("readings").stream()
                .filter(r -> !new String(r.key(), StandardCharsets.UTF_8).equals("sensors/probe")).toList();
    }

    /** A test client that disconnects before closing, as Paho requires. */
    private record Device(MqttClient client) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            client.disconnect();
            client.close();
        }
    }

    private static MqttClient client(String id) throws Exception {
        MqttClient client = new MqttClient(mosquitto.uri(), id, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        client.connect(options);
        return client;
    }
}
