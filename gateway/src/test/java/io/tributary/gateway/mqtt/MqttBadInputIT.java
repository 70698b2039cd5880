package io.tributary.gateway.mqtt;

import io.tributary.gateway.testing.MqttTestSupport;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue point 8: a client sending bad input is disconnected; what it had acknowledged stays in the log and
 * every other client carries on.
 */
class MqttBadInputIT {

    @TempDir
    static Path dir;
    static MqttTestSupport gateway;
    private MqttClient bystander;
    private final Received bystanderGot = new Received();

    @BeforeAll
    static void start() {
        gateway = MqttTestSupport.start(dir, Map.of("mqtt.max.packet.bytes", "1024"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @BeforeEach
    void bystander() throws Exception {
        bystander = Clients.v3(gateway, "bystander");
        bystander.subscribe("calm/#", 1, bystanderGot.v3());
    }

    @AfterEach
    void bystanderCarriesOn() throws Exception {
        String marker = "still here " + System.nanoTime();
        MqttClient pub = Clients.v3(gateway, "calm-pub");
        pub.publish("calm/x", marker.getBytes(StandardCharsets.UTF_8), 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> bystanderGot.payloads().contains(marker));
        assertThat(bystander.isConnected()).isTrue();
        Clients.closeQuietly(pub, bystander);
    }

    @Test
    void reservedPacketTypeDisconnectsAfterKeepingWhatWasAcknowledged() throws Exception {
        try (RawMqttClient raw = new RawMqttClient(gateway.mqttPort(), "raw-reserved")) {
            raw.publishQos1("kept/a", "acknowledged", 1);
            raw.expectPubAck(1);
            raw.send(new byte[]{0x00, 0x00});
            raw.expectClosed();
        }
        assertThat(gateway.records("kept")).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .contains("acknowledged");
    }

    @Test
    void malformedRemainingLengthDisconnects() throws Exception {
        try (RawMqttClient raw = new RawMqttClient(gateway.mqttPort(), "raw-length")) {
            raw.send(new byte[]{0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F});
            raw.expectClosed();
        }
    }

    @Test
    void wildcardInPublishTopicDisconnects() throws Exception {
        try (RawMqttClient raw = new RawMqttClient(gateway.mqttPort(), "raw-wildcard")) {
            raw.publishQos1("calm/+", "no", 2);
            raw.expectClosed();
        }
        assertThat(gateway.records("calm")).noneMatch(r -> new String(r.value(), StandardCharsets.UTF_8).equals("no"));
    }

    @Test
    void invalidUtf8TopicDisconnects() throws Exception {
        try (RawMqttClient raw = new RawMqttClient(gateway.mqttPort(), "raw-utf8")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(new byte[]{0x00, 0x04, 'b', 'a', (byte) 0xC3, 0x28});
            body.write(new byte[]{0x00, 0x03});
            body.write("bad".getBytes(StandardCharsets.UTF_8));
            raw.packet(0x32, body.toByteArray());
            raw.expectClosed();
        }
    }

    @Test
    void oversizedPacketDisconnects() throws Exception {
        try (RawMqttClient raw = new RawMqttClient(gateway.mqttPort(), "raw-big")) {
            raw.publishQos1("calm/big", "x".repeat(4096), 3);
            raw.expectClosed();
        }
    }

    @Test
    void secondConnectDisconnects() throws Exception {
        try (RawMqttClient raw = new RawMqttClient(gateway.mqttPort(), "raw-twice")) {
            raw.connect("raw-twice");
            raw.expectClosed();
        }
    }

    @Test
    void truncatedPacketFollowedByHangUpLeavesNoTrace() throws Exception {
        try (RawMqttClient raw = new RawMqttClient(gateway.mqttPort(), "raw-truncated")) {
            raw.send(new byte[]{0x32, 0x40, 0x00, 0x08, 'c', 'a', 'l', 'm'});
        }
        assertThat(gateway.records("calm")).noneMatch(r -> r.key() != null
                && new String(r.key(), StandardCharsets.UTF_8).startsWith("calm") && r.value().length == 0);
    }
}
