package io.tributary.gateway.mqtt;

import io.tributary.core.api.StoredRecord;
import io.tributary.gateway.testing.MqttTestSupport;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue point 4: retained messages in __mqtt_retained, wills on abnormal disconnect. */
class MqttRetainedAndWillIT {

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
    void retainedMessageIsDeliveredOnSubscribeAndClearedByAnEmptyRetainedPublish() throws Exception {
        MqttClient pub = Clients.v3(gateway, "retain-pub");
        pub.publish("status/door", bytes("open"), 1, true);
        pub.publish("status/window", bytes("closed"), 1, true);

        MqttClient sub = Clients.v3(gateway, "retain-sub");
        Received first = new Received();
        sub.subscribe("status/+", 1, first.v3());
        await().atMost(Duration.ofSeconds(10)).until(() -> first.messages.size() == 2);
        assertThat(first.payloads()).containsExactlyInAnyOrder("open", "closed");
        assertThat(first.messages).allMatch(Received.Message::retained);

        pub.publish("status/door", new byte[0], 1, true);
        // The retained store is a compacted topic: the clear is a tombstone for the MQTT topic.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<StoredRecord> stored = gateway.records(RetainedStore.TOPIC);
            StoredRecord last = stored.get(stored.size() - 1);
            return new String(last.key(), StandardCharsets.UTF_8).equals("status/door") && last.value() == null;
        });
        MqttClient later = Clients.v3(gateway, "retain-later");
        Received second = new Received();
        later.subscribe("status/#", 1, second.v3());
        await().atMost(Duration.ofSeconds(10)).until(() -> second.messages.size() == 1);
        assertThat(second.payloads()).containsExactly("closed");
        Clients.closeQuietly(pub, sub, later);
    }

    @Test
    void retainHandlingOneSendsRetainedMessagesOnlyForANewSubscription() throws Exception {
        MqttClient pub = Clients.v3(gateway, "rh-pub");
        pub.publish("rh/state", bytes("ready"), 1, true);
        Received got = new Received();
        V5Client client = Clients.v5(gateway, "rh-sub", got);
        org.eclipse.paho.mqttv5.common.MqttSubscription onlyNew = new org.eclipse.paho.mqttv5.common.MqttSubscription("rh/#", 1);
        onlyNew.setRetainHandling(1);
        client.subscribe(null, onlyNew);
        await().atMost(Duration.ofSeconds(10)).until(() -> got.messages.size() == 1);
        client.subscribe(null, onlyNew); // the same subscription again: not new, no retained message
        pub.publish("rh/state", bytes("live"), 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> got.payloads().contains("live"));
        assertThat(got.payloads()).containsExactly("ready", "live");
        Clients.closeQuietly(pub, client);
    }

    @Test
    void retainedMessagesSurviveARestart() throws Exception {
        MqttClient pub = Clients.v3(gateway, "retain-restart");
        pub.publish("config/mode", bytes("eco"), 1, true);
        Clients.closeQuietly(pub);
        gateway.restart();
        MqttClient sub = Clients.v3(gateway, "retain-restart-sub");
        Received received = new Received();
        sub.subscribe("config/mode", 1, received.v3());
        await().atMost(Duration.ofSeconds(10)).until(() -> received.messages.size() == 1);
        assertThat(received.payloads()).containsExactly("eco");
        Clients.closeQuietly(sub);
    }

    @Test
    void willIsPublishedWhenTheConnectionDropsButNotAfterANormalDisconnect() throws Exception {
        MqttClient watcher = Clients.v3(gateway, "will-watcher");
        Received wills = new Received();
        watcher.subscribe("wills/#", 1, wills.v3());

        MqttClient polite = withWill("polite", "wills/polite");
        polite.disconnect();
        polite.close();
        MqttClient crashing = withWill("crashing", "wills/crashing");
        // No DISCONNECT packet: the gateway sees the connection drop.
        crashing.disconnectForcibly(0, 100, false);
        crashing.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> wills.messages.size() >= 1);
        assertThat(wills.topics()).containsExactly("wills/crashing");
        assertThat(wills.payloads()).containsExactly("gone: crashing");
        Clients.closeQuietly(watcher);
    }

    @Test
    void mqtt5WillDelayIsCancelledWhenTheClientReturnsInTime() throws Exception {
        V5Client watcher = Clients.v5(gateway, "delay-watcher", new Received());
        Received wills = new Received();
        V5Client watcher2 = Clients.v5(gateway, "delay-watcher2", wills);
        watcher2.subscribe("delayed/#", 1);

        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(60L);
        MqttProperties willProps = new MqttProperties();
        willProps.setWillDelayInterval(1L);
        options.setWill("delayed/back", new MqttMessage(bytes("back too late"), 1, false, willProps));
        options.setWillMessageProperties(willProps);
        V5Client returning = Clients.v5(gateway, "returning", null, options);
        returning.async.disconnectForcibly(0, 100, false);
        // Reconnecting within the delay cancels the will.
        V5Client back = Clients.v5(gateway, "returning", null, options);

        MqttConnectionOptions options2 = new MqttConnectionOptions();
        options2.setCleanStart(false);
        options2.setSessionExpiryInterval(60L);
        options2.setWill("delayed/gone", new MqttMessage(bytes("gone for good"), 1, false, willProps));
        options2.setWillMessageProperties(willProps);
        V5Client leaving = Clients.v5(gateway, "leaving", null, options2);
        long dropped = System.nanoTime();
        leaving.async.disconnectForcibly(0, 100, false);

        await().atMost(Duration.ofSeconds(10)).until(() -> wills.messages.size() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - dropped)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(wills.topics()).containsExactly("delayed/gone");
        Clients.closeQuietly(watcher, watcher2, back);
    }

    @Test
    void aDelayedWillsExpiryIntervalCountsFromItsPublicationNotFromTheDisconnect() throws Exception {
        Received wills = new Received();
        V5Client watcher = Clients.v5(gateway, "will-expiry-watcher", wills);
        watcher.subscribe("willexp/#", 1);

        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(60L);
        MqttProperties willProps = new MqttProperties();
        willProps.setWillDelayInterval(3L);
        willProps.setMessageExpiryInterval(10L);
        options.setWill("willexp/gone", new MqttMessage(bytes("gone"), 1, false, willProps));
        options.setWillMessageProperties(willProps);
        V5Client leaving = Clients.v5(gateway, "will-expiry", null, options);
        leaving.async.disconnectForcibly(0, 100, false);

        await().atMost(Duration.ofSeconds(15)).until(() -> wills.messages.size() == 1);
        // Counted from the disconnect, 3 of the 10 seconds would be gone by the time the will is published.
        StoredRecord stored = gateway.records("willexp").get(0);
        assertThat(Long.parseLong(new String(stored.header(PublicationCodec.EXPIRY), StandardCharsets.UTF_8)))
                .isBetween(9L, 10L);
        assertThat(wills.messages.get(0).properties().getMessageExpiryInterval()).isBetween(9L, 10L);
        Clients.closeQuietly(watcher, leaving);
    }

    private MqttClient withWill(String clientId, String willTopic) throws Exception {
        MqttClient client = new MqttClient(gateway.mqttUri(), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setWill(willTopic, bytes("gone: " + clientId), 1, false);
        client.connect(options);
        return client;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
