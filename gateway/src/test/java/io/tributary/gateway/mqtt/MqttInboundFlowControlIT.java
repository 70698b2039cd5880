package io.tributary.gateway.mqtt;

import io.tributary.gateway.testing.MqttTestSupport;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 3.1.1 has no Receive Maximum: a publisher that does not wait for PUBACKs is held back by the gateway. */
class MqttInboundFlowControlIT {

    private static final int RECEIVE_MAXIMUM = 10;

    @TempDir
    static Path dir;
    static MqttTestSupport gateway;

    @BeforeAll
    static void start() {
        gateway = MqttTestSupport.start(dir, Map.of("mqtt.receive.maximum", Integer.toString(RECEIVE_MAXIMUM)));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void anMqtt3PublisherThatDoesNotWaitIsHeldBackAtReceiveMaximumAndLosesNothing() throws Exception {
        for (int qos = 1; qos <= 2; qos++) {
            String clientId = "burst-qos" + qos;
            MqttAsyncClient burst = new MqttAsyncClient(gateway.mqttUri(), clientId, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMaxInflight(1000);
            burst.connect(options).waitForCompletion(10_000);
            int count = 500;
            List<IMqttDeliveryToken> tokens = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                // As fast as Paho sends, never waiting for an acknowledgement: far more than may wait for the log.
                tokens.add(burst.publish("burst" + qos + "/x", ("b" + i).getBytes(StandardCharsets.UTF_8), qos, false));
            }
            for (IMqttDeliveryToken token : tokens) {
                token.waitForCompletion(30_000);
            }
            // Reading the socket paused whenever RECEIVE_MAXIMUM publishes were waiting for their append.
            assertThat(gateway.mqttGateway().peakInboundPendingFor(clientId)).isBetween(1, RECEIVE_MAXIMUM);
            assertThat(burst.isConnected()).isTrue();
            List<String> stored = gateway.records("burst" + qos).stream()
                    .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                expected.add("b" + i);
            }
            assertThat(stored).as("QoS %d: every publish stored once, in order", qos).isEqualTo(expected);
            burst.disconnect().waitForCompletion(10_000);
            burst.close();
        }
    }
}
