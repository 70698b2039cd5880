package io.tributary.gateway.mqtt;

import io.tributary.gateway.testing.MqttTestSupport;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Issue point 1: without auto-creation, a publish to a missing Kafka topic is refused with the right reason. */
class MqttTopicCreationIT {

    @TempDir
    static Path dir;
    static MqttTestSupport gateway;

    @BeforeAll
    static void start() {
        gateway = MqttTestSupport.start(dir, Map.of("auto.create.topics.enable", "false"));
        gateway.await(() -> gateway.api().topics().create("existing", 1, Map.of()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void mqtt5PublishToAMissingTopicGetsTopicNameInvalidAndTheConnectionStays() throws Exception {
        V5Client client = Clients.v5(gateway, "no-create-v5", null);
        assertThat(client.publish("missing/x", "lost", 1, false)).containsExactly(0x90);
        assertThat(client.publish("existing/x", "kept", 1, false)).containsExactly(0);
        assertThat(client.isConnected()).isTrue();
        // QoS 2: PUBREC carries 0x90 too, which ends the exchange (Paho reports it as an exception, then closes its
        // connection on its own, so this comes last).
        assertThatThrownBy(() -> client.publish("missing/x", "lost", 2, false))
                .isInstanceOf(org.eclipse.paho.mqttv5.common.MqttException.class)
                .extracting(e -> ((org.eclipse.paho.mqttv5.common.MqttException) e).getReasonCode()).isEqualTo(0x90);
        assertThat(gateway.api().topics().describe("missing")).isEmpty();
        assertThat(gateway.records("existing")).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("kept");
        Clients.closeQuietly(client);
    }

    @Test
    void mqtt3PublishToAMissingTopicClosesTheConnection() throws Exception {
        MqttClient client = Clients.v3(gateway, "no-create-v3");
        assertThatThrownBy(() -> client.publish("missing/y", "lost".getBytes(StandardCharsets.UTF_8), 1, false))
                .isInstanceOf(MqttException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> !client.isConnected());
        client.close();
    }
}
