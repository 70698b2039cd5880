package io.tributary.gateway.mqtt;

import io.tributary.core.api.StoredRecord;
import io.tributary.gateway.testing.MqttTestSupport;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inbound QoS 2 exactly once across a broker restart between PUBREC and PUBREL: the packet id is in __mqtt_sessions
 * before PUBREC leaves, and its release before PUBCOMP does (the periodic checkpoint is set to an hour here, so
 * only those writes can have put them there).
 */
class MqttQos2DurabilityIT {

    @TempDir
    static Path dir;
    static MqttTestSupport gateway;

    @BeforeAll
    static void start() {
        gateway = MqttTestSupport.start(dir, Map.of("mqtt.session.checkpoint.interval.ms", "3600000"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aQos2PublishResentAfterARestartBetweenPubrecAndPubrelIsStoredOnce() throws Exception {
        try (RawMqttClient device = RawMqttClient.persistent(gateway.mqttPort(), "qos2-device", false)) {
            device.publishQos2("exactly/once", "payload", 7, false);
            device.expectPubRec(7);
            // Durable before PUBREC: had the broker crashed now, the restored session would know packet id 7.
            assertThat(storedQos2Ids("qos2-device")).containsExactly(7);
        }
        gateway.restart();
        try (RawMqttClient device = RawMqttClient.persistent(gateway.mqttPort(), "qos2-device", true)) {
            // Back after the restart, the client resends the PUBLISH (DUP), then releases it.
            device.publishQos2("exactly/once", "payload", 7, true);
            device.expectPubRec(7);
            device.pubRel(7);
            device.expectPubComp(7);
            assertThat(storedQos2Ids("qos2-device")).isEmpty();
            // Packet id 7 is free again: a new message with it is a new message, not a duplicate.
            device.publishQos2("exactly/once", "second", 7, false);
            device.expectPubRec(7);
            device.pubRel(7);
            device.expectPubComp(7);
        }
        List<String> values = gateway.records("exactly").stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        assertThat(values).containsExactly("payload", "second");
    }

    /** The inbound QoS 2 packet ids of the latest __mqtt_sessions record of {@code clientId}. */
    private static List<Integer> storedQos2Ids(String clientId) {
        StoredRecord latest = null;
        for (StoredRecord r : gateway.records(SessionStore.TOPIC)) {
            if (r.key() != null && clientId.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                latest = r;
            }
        }
        assertThat(latest).as("a session record of " + clientId).isNotNull();
        JsonObject json = new JsonObject(new String(latest.value(), StandardCharsets.UTF_8));
        return json.getJsonArray("qos2").stream().map(o -> ((Number) o).intValue()).toList();
    }
}
