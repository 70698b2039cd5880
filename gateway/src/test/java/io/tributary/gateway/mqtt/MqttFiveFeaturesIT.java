package io.tributary.gateway.mqtt;

import io.tributary.core.api.StoredRecord;
import io.tributary.gateway.testing.MqttTestSupport;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * MQTT 5 topic aliases both ways, message expiry, Server Keep Alive, the client's Maximum Packet Size and the
 * refusal of enhanced authentication.
 */
class MqttFiveFeaturesIT {

    private static final int MAX_KEEP_ALIVE = 120;
    private static final int ALIAS_MAXIMUM = 8;

    @TempDir
    static Path dir;
    static MqttTestSupport gateway;

    @BeforeAll
    static void start() {
        gateway = MqttTestSupport.start(dir, Map.of(
                "mqtt.max.keep.alive.seconds", Integer.toString(MAX_KEEP_ALIVE),
                "mqtt.topic.alias.maximum", Integer.toString(ALIAS_MAXIMUM)));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void pahoPublishesWithTopicAliasesLandUnderTheirFullTopic() throws Exception {
        Received got = new Received();
        V5Client sub = Clients.v5(gateway, "alias-sub", got);
        sub.subscribe("aliased/#", 1);
        MqttAsyncClient async = new MqttAsyncClient(gateway.mqttUri(), "alias-pub",
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        IMqttToken connected = async.connect(new MqttConnectionOptions());
        connected.waitForCompletion(10_000);
        // The server advertises a Topic Alias Maximum, so Paho sends a topic once and then only its alias.
        assertThat(connected.getResponseProperties().getTopicAliasMaximum()).isEqualTo(ALIAS_MAXIMUM);
        V5Client pub = new V5Client(async);
        for (int i = 0; i < 5; i++) {
            pub.publish("aliased/room/" + (i % 2), "m" + i, 1, false);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> got.messages.size() == 5);
        assertThat(got.topics()).containsExactly("aliased/room/0", "aliased/room/1", "aliased/room/0",
                "aliased/room/1", "aliased/room/0");
        assertThat(gateway.records("aliased")).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactly("aliased/room/0", "aliased/room/1", "aliased/room/0", "aliased/room/1",
                        "aliased/room/0");
        Clients.closeQuietly(sub, pub);
    }

    @Test
    void aRawClientsAliasIsResolvedAndAnUnknownAliasIsAProtocolError() throws Exception {
        try (RawMqtt5Client raw = new RawMqtt5Client(gateway.mqttPort(), "raw-alias")) {
            raw.publishWithAlias("rawalias/set", 3, "first", 1, 1);
            raw.expectPubAck(1);
            raw.publishWithAlias("", 3, "second", 1, 2);
            raw.expectPubAck(2);
            raw.publishWithAlias("", 4, "unknown", 1, 3);
            assertThat(raw.expectDisconnect()).isEqualTo(0x82); // Protocol Error
        }
        assertThat(gateway.records("rawalias")).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)
                + "=" + new String(r.value(), StandardCharsets.UTF_8)).containsExactly("rawalias/set=first",
                "rawalias/set=second");
    }

    @Test
    void anAliasAboveTheAdvertisedMaximumIsRefused() throws Exception {
        try (RawMqtt5Client raw = new RawMqtt5Client(gateway.mqttPort(), "raw-alias-max")) {
            raw.publishWithAlias("aliasmax/x", ALIAS_MAXIMUM + 1, "too high", 1, 1);
            assertThat(raw.expectDisconnect()).isEqualTo(0x94); // Topic Alias invalid
        }
    }

    @Test
    void expiredMessagesAreNotDeliveredToASessionThatComesBackAndTheRestCarryTheirRemainingInterval()
            throws Exception {
        V5Client device = Clients.v5(gateway, "expiry-device", new Received(), MqttSessionIT.persistent());
        device.subscribe("expiry/#", 1);
        device.disconnect();
        device.close();

        V5Client pub = Clients.v5(gateway, "expiry-pub", null);
        long published = System.currentTimeMillis();
        pub.publish("expiry/a", message("short-lived", 1L));
        pub.publish("expiry/a", message("long-lived", 3600L));
        pub.publish("expiry/a", message("forever", null));
        StoredRecord stored = gateway.records("expiry").get(1);
        assertThat(new String(stored.header(PublicationCodec.EXPIRY), StandardCharsets.UTF_8)).isEqualTo("3600");
        // Let the one-second interval run out while the device is away.
        await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
                .until(() -> System.currentTimeMillis() > published + 1500);

        Received back = new Received();
        V5Client returned = Clients.v5(gateway, "expiry-device", back, MqttSessionIT.persistent());
        pub.publish("expiry/a", message("marker", null));
        await().atMost(Duration.ofSeconds(10)).until(() -> back.payloads().contains("marker"));
        assertThat(back.payloads()).containsExactly("long-lived", "forever", "marker");
        Integer remaining = back.messages.get(0).properties().getMessageExpiryInterval().intValue();
        assertThat(remaining).isBetween(3500, 3600);
        assertThat(back.messages.get(1).properties().getMessageExpiryInterval()).isNull();
        Clients.closeQuietly(pub, returned);
    }

    @Test
    void anExpiredRetainedMessageIsNoLongerSent() throws Exception {
        V5Client pub = Clients.v5(gateway, "rexp-pub", null);
        long published = System.currentTimeMillis();
        MqttMessage shortLived = message("short-lived", 1L);
        shortLived.setRetained(true);
        pub.publish("rexp/a", shortLived);
        MqttMessage kept = message("kept", 3600L);
        kept.setRetained(true);
        pub.publish("rexp/b", kept);
        await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
                .until(() -> System.currentTimeMillis() > published + 1500);

        Received got = new Received();
        V5Client sub = Clients.v5(gateway, "rexp-sub", got);
        sub.subscribe("rexp/#", 1);
        pub.publish("rexp/c", "marker", 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> got.payloads().contains("marker"));
        assertThat(got.payloads()).containsExactly("kept", "marker");
        assertThat(got.messages.get(0).retained()).isTrue();
        Clients.closeQuietly(pub, sub);
    }

    @Test
    void aClientAskingForALongerKeepAliveIsToldTheServersAndAnMqtt3ClientIsRefused() throws Exception {
        MqttAsyncClient v5 = new MqttAsyncClient(gateway.mqttUri(), "keepalive-v5",
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setKeepAliveInterval(MAX_KEEP_ALIVE * 10);
        IMqttToken token = v5.connect(options);
        token.waitForCompletion(10_000);
        assertThat(token.getResponseProperties().getServerKeepAlive()).isEqualTo(MAX_KEEP_ALIVE);

        MqttAsyncClient within = new MqttAsyncClient(gateway.mqttUri(), "keepalive-v5-ok",
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        MqttConnectionOptions ok = new MqttConnectionOptions();
        ok.setKeepAliveInterval(MAX_KEEP_ALIVE / 2);
        IMqttToken okToken = within.connect(ok);
        okToken.waitForCompletion(10_000);
        assertThat(okToken.getResponseProperties().getServerKeepAlive()).isNull();

        MqttClient v3 = new MqttClient(gateway.mqttUri(), "keepalive-v3", new MemoryPersistence());
        MqttConnectOptions v3options = new MqttConnectOptions();
        v3options.setKeepAliveInterval(MAX_KEEP_ALIVE * 10);
        assertThatThrownBy(() -> v3.connect(v3options)).isInstanceOf(MqttException.class)
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo((int) MqttException.REASON_CODE_INVALID_CLIENT_ID);
        Clients.closeQuietly(new V5Client(v5), new V5Client(within));
        v3.close();
    }

    @Test
    void aMessageExactlyAtTheClientsMaximumPacketSizeIsSentAndOneByteMoreIsNot() throws Exception {
        // PUBLISH of topic "mps/a" at QoS 1 without properties: 1 + 1 + (2 + 5 + 2 + 1 + payload) bytes.
        int payload = 100;
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setMaximumPacketSize((long) (1 + 1 + 2 + 5 + 2 + 1 + payload));
        Received got = new Received();
        V5Client small = Clients.v5(gateway, "exact-packets", got, options);
        small.subscribe("mps/#", 1);
        MqttClient pub = Clients.v3(gateway, "exact-pub");
        pub.publish("mps/a", "y".repeat(payload + 1).getBytes(StandardCharsets.UTF_8), 1, false);
        pub.publish("mps/a", "x".repeat(payload).getBytes(StandardCharsets.UTF_8), 1, false);
        pub.publish("mps/a", "end".getBytes(StandardCharsets.UTF_8), 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> got.payloads().contains("end"));
        assertThat(got.payloads()).containsExactly("x".repeat(payload), "end");
        Clients.closeQuietly(small, pub);
    }

    @Test
    void topicsSentMoreThanOnceGetAnAliasWithinTheClientsMaximum() throws Exception {
        // Topic Alias Maximum 2 in CONNECT.
        try (RawMqtt5Client raw = new RawMqtt5Client(gateway.mqttPort(), "out-alias-raw", new byte[]{0x22, 0x00, 0x02}, 0)) {
            raw.subscribe("outalias/#", 1, 1);
            MqttClient pub = Clients.v3(gateway, "out-alias-pub");
            for (String t : List.of("a", "b", "a", "b", "a", "c", "c", "a", "b")) {
                pub.publish("outalias/" + t, t.getBytes(StandardCharsets.UTF_8), 1, false);
            }
            List<String> wire = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                RawMqtt5Client.Publish p = raw.readPublish();
                wire.add(p.topic() + "|" + p.topicAlias() + "|" + p.payload());
            }
            assertThat(wire).containsExactly(
                    "outalias/a|0|a", "outalias/b|0|b", // first sends: no alias yet
                    "outalias/a|1|a", "outalias/b|2|b", // second sends: topic and alias, so the client learns them
                    "|1|a", // then the alias alone
                    "outalias/c|0|c",
                    "outalias/c|2|c", // both aliases taken: the least recently sent topic's (b) is reassigned
                    "|1|a",
                    "outalias/b|0|b"); // b lost its alias
            Clients.closeQuietly(pub);
        }
    }

    @Test
    void aConnectWithAnAuthenticationMethodIsRefusedWithBadAuthenticationMethod() throws Exception {
        ByteArrayOutputStream props = new ByteArrayOutputStream();
        props.write(0x15); // Authentication Method
        RawMqtt5Client.writeString(props, "SCRAM-SHA-256");
        try (RawMqtt5Client raw = new RawMqtt5Client(gateway.mqttPort(), "enhanced-auth-raw", props.toByteArray(), 0x8C)) {
            raw.expectClosed();
        }

        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setAuthMethod("SCRAM-SHA-1");
        options.setAuthData("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> Clients.v5(gateway, "enhanced-auth-paho", null, options))
                .isInstanceOf(org.eclipse.paho.mqttv5.common.MqttException.class)
                .extracting(e -> ((org.eclipse.paho.mqttv5.common.MqttException) e).getReasonCode())
                .isEqualTo(0x8C);
    }

    @Test
    void anAuthPacketWithoutAnAuthenticationExchangeIsAProtocolError() throws Exception {
        try (RawMqtt5Client raw = new RawMqtt5Client(gateway.mqttPort(), "stray-auth")) {
            raw.auth(0x19); // Re-authenticate, although the connection used no authentication method
            assertThat(raw.expectDisconnect()).isEqualTo(0x82); // Protocol Error
        }
    }

    private static MqttMessage message(String payload, Long expirySeconds) {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), 1, false, null);
        MqttProperties props = new MqttProperties();
        if (expirySeconds != null) {
            props.setMessageExpiryInterval(expirySeconds);
        }
        m.setProperties(props);
        return m;
    }
}
