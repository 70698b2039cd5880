package io.tributary.gateway.mqtt;

import io.tributary.gateway.testing.MqttTestSupport;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue point 5: persistent sessions are positions in the log, kept in __mqtt_sessions. */
class MqttSessionIT {

    @TempDir
    static Path dir;
    static MqttTestSupport gateway;

    @BeforeAll
    static void start() {
        gateway = MqttTestSupport.start(dir);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void messagesPublishedWhileOfflineArriveOnReturnAlsoAfterARestart() throws Exception {
        MqttClient device = Clients.v3(gateway, "device-1", false);
        device.subscribe("fleet/#", 1);
        device.disconnect();
        device.close();

        MqttClient pub = Clients.v3(gateway, "fleet-pub");
        pub.publish("fleet/cmd", bytes("before restart"), 1, false);
        Clients.closeQuietly(pub);
        gateway.restart();
        MqttClient pub2 = Clients.v3(gateway, "fleet-pub");
        pub2.publish("fleet/cmd", bytes("after restart"), 1, false);
        Clients.closeQuietly(pub2);

        Received received = new Received();
        MqttClient back = new MqttClient(gateway.mqttUri(), "device-1",
                new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        back.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            public void connectionLost(Throwable cause) {
            }

            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage m) throws Exception {
                received.v3().messageArrived(topic, m);
            }

            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        var options = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
        options.setCleanSession(false);
        back.connect(options);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.messages.size() == 2);
        assertThat(received.payloads()).containsExactly("before restart", "after restart");
        Clients.closeQuietly(back);
    }

    @Test
    void cleanSessionForgetsSubscriptions() throws Exception {
        MqttClient device = Clients.v3(gateway, "device-clean", false);
        device.subscribe("forgotten/#", 1);
        device.disconnect();
        device.close();
        MqttClient clean = Clients.v3(gateway, "device-clean", true);
        Clients.closeQuietly(clean);
        MqttClient pub = Clients.v3(gateway, "forgotten-pub");
        pub.publish("forgotten/x", bytes("nobody"), 1, false);
        Clients.closeQuietly(pub);

        Received received = new Received();
        V5Client again = Clients.v5(gateway, "device-clean", received, persistent());
        // A fresh session: nothing subscribed, so nothing arrives; a marker on a new subscription proves delivery works.
        again.subscribe("marker/x", 1);
        MqttClient pub2 = Clients.v3(gateway, "forgotten-pub");
        pub2.publish("marker/x", bytes("marker"), 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.messages.size() == 1);
        assertThat(received.payloads()).containsExactly("marker");
        Clients.closeQuietly(again, pub2);
    }

    @Test
    void mqtt5SessionExpiryAndReplayFromAnOffset() throws Exception {
        MqttClient pub = Clients.v3(gateway, "history-pub");
        for (int i = 0; i < 5; i++) {
            pub.publish("history/x", bytes("h" + i), 1, false);
        }
        Received received = new Received();
        V5Client client = Clients.v5(gateway, "historian", received, persistent());
        MqttProperties props = new MqttProperties();
        props.setUserProperties(List.of(new UserProperty(SubscriptionRequests.REPLAY_OFFSET, "2")));
        client.subscribe(props, new MqttSubscription("history/#", 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.messages.size() == 3);
        assertThat(received.payloads()).containsExactly("h2", "h3", "h4");

        Received fromTime = new Received();
        V5Client client2 = Clients.v5(gateway, "historian-2", fromTime, persistent());
        MqttProperties byTime = new MqttProperties();
        byTime.setUserProperties(List.of(new UserProperty(SubscriptionRequests.REPLAY_TIMESTAMP, "0")));
        client2.subscribe(byTime, new MqttSubscription("history/#", 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> fromTime.messages.size() == 5);
        Clients.closeQuietly(pub, client, client2);
    }

    @Test
    void unacknowledgedQos1MessagesAreResentOnReconnect() throws Exception {
        MqttConnectionOptions options = persistent();
        // Receive Maximum 1 and a client that never acknowledges: one message stays in flight.
        options.setReceiveMaximum(1);
        Received first = new Received();
        V5Client device = Clients.v5(gateway, "forgetful", first, options);
        device.async.setManualAcks(true);
        device.subscribe("resend/#", 1);
        MqttClient pub = Clients.v3(gateway, "resend-pub");
        pub.publish("resend/a", bytes("r1"), 1, false);
        pub.publish("resend/a", bytes("r2"), 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> first.messages.size() == 1);
        device.async.disconnectForcibly(0, 100, false);
        device.async.close();

        Received second = new Received();
        V5Client back = Clients.v5(gateway, "forgetful", second, persistent());
        await().atMost(Duration.ofSeconds(10)).until(() -> second.payloads().containsAll(List.of("r1", "r2")));
        assertThat(second.payloads().indexOf("r1")).isLessThan(second.payloads().indexOf("r2"));
        Clients.closeQuietly(pub, back);
    }

    @Test
    void aSecondConnectionWithTheSameClientIdTakesTheSessionOver() throws Exception {
        Received first = new Received();
        V5Client older = Clients.v5(gateway, "twin", first, persistent());
        older.subscribe("twin/#", 1);
        Received second = new Received();
        V5Client newer = Clients.v5(gateway, "twin", second, persistent());
        await().atMost(Duration.ofSeconds(10)).until(() -> first.disconnectReason == 0x8E);
        MqttClient pub = Clients.v3(gateway, "twin-pub");
        pub.publish("twin/x", bytes("to the newer"), 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> second.messages.size() == 1);
        assertThat(first.messages).isEmpty();
        Clients.closeQuietly(pub, newer, older);
    }

    @Test
    void twoConnectsWithOneClientIdAtTheSameInstantLeaveExactlyOneConnectionOnTheSession() throws Exception {
        MqttClient pub = Clients.v3(gateway, "race-pub");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                // A connection holds the session; two more CONNECTs with its client id arrive while it is taken over.
                V5Client holder = Clients.v5(gateway, "racer", new Received(), persistent());
                holder.subscribe("race/#", 1);
                Received a = new Received();
                Received b = new Received();
                CountDownLatch go = new CountDownLatch(1);
                java.util.concurrent.Future<V5Client> fa = pool.submit(() -> {
                    go.await();
                    return Clients.v5(gateway, "racer", a, persistent());
                });
                java.util.concurrent.Future<V5Client> fb = pool.submit(() -> {
                    go.await();
                    return Clients.v5(gateway, "racer", b, persistent());
                });
                go.countDown();
                V5Client ca = connectedOrNull(fa);
                V5Client cb = connectedOrNull(fb);
                // One takes the session over from the other, which is told so (0x8E) and closed.
                await().atMost(Duration.ofSeconds(10)).until(() -> (ca != null && ca.isConnected() ? 1 : 0)
                        + (cb != null && cb.isConnected() ? 1 : 0) == 1);
                boolean aWon = ca != null && ca.isConnected();
                Received winner = aWon ? a : b;
                Received loser = aWon ? b : a;
                if (ca != null && cb != null) {
                    assertThat(loser.disconnectReason).isEqualTo(0x8E);
                }
                String payload = "round " + round;
                pub.publish("race/x", bytes(payload), 1, false);
                pub.publish("race/x", bytes("end of " + payload), 1, false);
                await().atMost(Duration.ofSeconds(10)).until(() -> winner.payloads().contains("end of " + payload));
                assertThat(winner.payloads()).containsExactly(payload, "end of " + payload);
                assertThat(loser.payloads()).doesNotContain(payload);
                Clients.closeQuietly(ca, cb, holder);
            }
        } finally {
            pool.shutdownNow();
            Clients.closeQuietly(pub);
        }
        assertThat(gateway.mqttGateway().sessionsView().get("racer")).containsExactly("race/#");
    }

    private static V5Client connectedOrNull(java.util.concurrent.Future<V5Client> connect) {
        try {
            return connect.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return null; // Paho leaves the connect pending when DISCONNECT 0x8E follows CONNACK at once: it lost
        }
    }

    @Test
    void reconnectingRightAfterDisconnectIsAccepted() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (RawMqttClient raw = new RawMqttClient(gateway.mqttPort(), "quick-returner")) {
                raw.send(new byte[]{(byte) 0xE0, 0x00}); // DISCONNECT, then at once a new CONNECT below
            }
        }
        try (RawMqttClient last = new RawMqttClient(gateway.mqttPort(), "quick-returner")) {
            last.publishQos1("quick/x", "accepted", 1);
            last.expectPubAck(1);
        }
    }

    static MqttConnectionOptions persistent() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(3600L);
        return options;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
