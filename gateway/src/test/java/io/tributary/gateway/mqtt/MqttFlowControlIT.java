package io.tributary.gateway.mqtt;

import io.tributary.gateway.testing.MqttTestSupport;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue point 6: keep-alive, Receive Maximum, maximum packet size and backpressure for slow subscribers. */
class MqttFlowControlIT {

    private static final int QUEUE_LIMIT = 50;

    @TempDir
    static Path dir;
    static MqttTestSupport gateway;

    @BeforeAll
    static void start() {
        gateway = MqttTestSupport.start(dir, Map.of("mqtt.max.queued.messages", Integer.toString(QUEUE_LIMIT)));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aStalledSubscriberGetsOnlyItsWindowAndBoundedBufferingWhileOthersGetEverything() throws Exception {
        MqttConnectionOptions stalledOptions = new MqttConnectionOptions();
        stalledOptions.setReceiveMaximum(2);
        Received stalledGot = new Received();
        V5Client stalled = Clients.v5(gateway, "stalled", stalledGot, stalledOptions);
        stalled.async.setManualAcks(true); // and never acknowledges
        stalled.subscribe("firehose/#", 1);
        Received fastGot = new Received();
        V5Client fast = Clients.v5(gateway, "fast", fastGot);
        fast.subscribe("firehose/#", 1);

        int count = 2000;
        V5Client pub = Clients.v5(gateway, "firehose-pub", null);
        for (int i = 0; i < count; i++) {
            pub.publish("firehose/x", "m" + i, 1, false);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> fastGot.messages.size() == count);
        assertThat(fastGot.payloads().get(count - 1)).isEqualTo("m" + (count - 1));
        // The stalled client holds its Receive Maximum of unacknowledged messages and no more.
        assertThat(stalledGot.messages).hasSize(2);
        // Reading the log for it stopped: its buffer stays near the limit (one read past it at most).
        assertThat(gateway.mqttGateway().queuedFor("stalled")).isLessThanOrEqualTo(QUEUE_LIMIT + 1000);
        assertThat(gateway.mqttGateway().queuedFor("stalled")).isLessThan(count - 2);
        Clients.closeQuietly(stalled, fast, pub);
    }

    @Test
    void messagesLargerThanTheClientsMaximumPacketSizeAreNotSentToIt() throws Exception {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setMaximumPacketSize(200L);
        Received got = new Received();
        V5Client small = Clients.v5(gateway, "small-packets", got, options);
        small.subscribe("sized/#", 1);
        MqttClient pub = Clients.v3(gateway, "sized-pub");
        pub.publish("sized/a", "x".repeat(500).getBytes(StandardCharsets.UTF_8), 1, false);
        pub.publish("sized/a", "small".getBytes(StandardCharsets.UTF_8), 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> got.messages.size() == 1);
        assertThat(got.payloads()).containsExactly("small");
        Clients.closeQuietly(small, pub);
    }

    @Test
    void aSilentClientIsDisconnectedAfterOneAndAHalfKeepAlives() throws Exception {
        MqttClient watcher = Clients.v3(gateway, "keepalive-watcher");
        Received wills = new Received();
        watcher.subscribe("keepalive/#", 1, wills.v3());
        try (RawMqttClient silent = new RawMqttClient(gateway.mqttPort(), "silent", 1, "keepalive/silent")) {
            silent.expectClosed();
        }
        // Losing the connection to a keep-alive timeout publishes the will.
        await().atMost(Duration.ofSeconds(10)).until(() -> wills.messages.size() == 1);
        Clients.closeQuietly(watcher);
    }
}
