package io.tributary.gateway.mqtt;

import io.tributary.core.api.StoredRecord;
import io.tributary.gateway.testing.MqttTestSupport;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue point 1 and 2: a publish becomes a record, acknowledged only once appended. */
class MqttPublishIT {

    @TempDir
    static Path dir;
    static MqttTestSupport gateway;

    @BeforeAll
    static void start() {
        gateway = MqttTestSupport.start(dir, Map.of("mqtt.topic.mappings", "factory/+/temperature:temperatures"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void publishesAtEveryQosBecomeRecordsKeyedByTopicWithQosHeaders() throws Exception {
        MqttClient client = new MqttClient(gateway.mqttUri(), "pub-v3", new MemoryPersistence());
        client.connect(new MqttConnectOptions());
        for (int qos = 0; qos <= 2; qos++) {
            // Synchronous publish: for QoS 1 and 2 it returns once PUBACK / PUBCOMP arrived.
            client.publish("sensors/room1/temp", ("t" + qos).getBytes(StandardCharsets.UTF_8), qos, false);
        }
        client.disconnect();
        client.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.records("sensors").size() == 3);
        List<StoredRecord> records = gateway.records("sensors");
        for (int qos = 0; qos <= 2; qos++) {
            StoredRecord r = records.get(qos);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("sensors/room1/temp");
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("t" + qos);
            assertThat(new String(r.header("mqtt.qos"), StandardCharsets.UTF_8)).isEqualTo(Integer.toString(qos));
            assertThat(new String(r.header("mqtt.client.id"), StandardCharsets.UTF_8)).isEqualTo("pub-v3");
        }
    }

    @Test
    void qos1IsAcknowledgedOnlyAfterTheRecordIsInTheLog() throws Exception {
        MqttClient client = new MqttClient(gateway.mqttUri(), "pub-ack", new MemoryPersistence());
        client.connect(new MqttConnectOptions());
        for (int i = 0; i < 20; i++) {
            client.publish("acked/x", ("m" + i).getBytes(StandardCharsets.UTF_8), 1, false);
            // The PUBACK has arrived: the record must already be readable.
            assertThat(gateway.records("acked")).hasSize(i + 1);
        }
        client.disconnect();
        client.close();
    }

    @Test
    void mappingSendsMatchingTopicsToTheirKafkaTopicAndMqtt5PropertiesBecomeHeaders() throws Exception {
        V5Client client = Clients.v5(gateway, "pub-v5", null);
        MqttMessage message = new MqttMessage("21.5".getBytes(StandardCharsets.UTF_8), 1, true, null);
        MqttProperties props = new MqttProperties();
        props.setContentType("text/plain");
        props.setUserProperties(List.of(new UserProperty("site", "north"), new UserProperty("unit", "C")));
        message.setProperties(props);
        client.publish("factory/line1/temperature", message);
        client.close();

        List<StoredRecord> records = gateway.records("temperatures");
        assertThat(records).hasSize(1);
        StoredRecord r = records.get(0);
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("factory/line1/temperature");
        assertThat(new String(r.header("content-type"), StandardCharsets.UTF_8)).isEqualTo("text/plain");
        assertThat(new String(r.header("site"), StandardCharsets.UTF_8)).isEqualTo("north");
        assertThat(new String(r.header("unit"), StandardCharsets.UTF_8)).isEqualTo("C");
        assertThat(new String(r.header("mqtt.retain"), StandardCharsets.UTF_8)).isEqualTo("true");
        assertThat(gateway.api().topics().describe("factory")).isEmpty();
    }

    @Test
    void qos2PublishIsStoredExactlyOnce() throws Exception {
        var client = new org.eclipse.paho.mqttv5.client.MqttClient(gateway.mqttUri(), "pub-qos2",
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        client.connect(new MqttConnectionOptions());
        for (int i = 0; i < 10; i++) {
            client.publish("exactly/once", ("m" + i).getBytes(StandardCharsets.UTF_8), 2, false);
        }
        client.disconnect();
        client.close();
        assertThat(gateway.records("exactly")).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
    }

    @Test
    void manyLargePublishesInFlightTogetherAreAllAccepted() throws Exception {
        // Publishes waiting for the same append go together, but never in a batch over max.message.bytes.
        V5Client client = Clients.v5(gateway, "pub-large", null);
        byte[] payload = new byte[100_000];
        List<org.eclipse.paho.mqttv5.client.IMqttToken> tokens = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            tokens.add(client.async.publish("large/x", payload, 1, false));
        }
        for (var token : tokens) {
            token.waitForCompletion(10_000);
            assertThat(token.getReasonCodes()).containsExactly(0);
        }
        client.close();
        assertThat(gateway.records("large")).hasSize(40);
    }
}
