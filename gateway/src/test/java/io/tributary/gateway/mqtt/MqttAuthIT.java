package io.tributary.gateway.mqtt;

import io.tributary.gateway.testing.MqttTestSupport;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Issue point 7: users from a credentials file with PBKDF2 hashes and per-user topic permissions. */
class MqttAuthIT {

    @TempDir
    static Path dir;
    static MqttTestSupport gateway;

    @BeforeAll
    static void start() throws Exception {
        Path users = dir.resolve("mqtt-users");
        Files.write(users, List.of(
                "# test users",
                CredentialsFile.userLine("alice", PasswordHasher.hash("wonderland".toCharArray(), 1000)),
                CredentialsFile.userLine("bob", PasswordHasher.hash("builder".toCharArray(), 1000)),
                "publish alice sensors/%u/#",
                "subscribe alice sensors/#",
                "subscribe bob sensors/+/alerts",
                "publish * public/#"));
        gateway = MqttTestSupport.start(dir.resolve("data"), Map.of(
                "mqtt.credentials.file", users.toString(),
                "mqtt.allow.anonymous", "false"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void wrongPasswordUnknownUserAndAnonymousAreRefused() {
        assertThat(refusal("alice", "queen")).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertThat(refusal("mallory", "x")).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertThat(refusal(null, null)).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThatThrownBy(() -> Clients.v5(gateway, "v5-bad", null, v5Options("alice", "queen")))
                .isInstanceOf(org.eclipse.paho.mqttv5.common.MqttException.class)
                .extracting(e -> ((org.eclipse.paho.mqttv5.common.MqttException) e).getReasonCode())
                .isEqualTo(0x86);
    }

    @Test
    void permissionsLimitWhatEachUserPublishesAndSubscribes() throws Exception {
        Received bobs = new Received();
        V5Client bob = Clients.v5(gateway, "bob-1", bobs, v5Options("bob", "builder"));
        int[] granted = bob.subscribe(null,
                new org.eclipse.paho.mqttv5.common.MqttSubscription("sensors/+/alerts", 1),
                new org.eclipse.paho.mqttv5.common.MqttSubscription("sensors/#", 1));
        assertThat(granted).containsExactly(1, 0x87);

        V5Client alice = Clients.v5(gateway, "alice-1", null, v5Options("alice", "wonderland"));
        assertThat(alice.publish("sensors/alice/alerts", "fire", 1, false)).containsExactly(0);
        assertThat(alice.publish("sensors/bob/alerts", "not mine", 1, false)).containsExactly(0x87);
        assertThat(alice.publish("public/news", "hello", 1, false)).containsExactly(0);
        assertThat(bob.publish("sensors/bob/alerts", "no publish grant", 1, false)).containsExactly(0x87);

        await().atMost(Duration.ofSeconds(10)).until(() -> bobs.messages.size() == 1);
        assertThat(bobs.payloads()).containsExactly("fire");
        assertThat(gateway.records("sensors")).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("fire");
        Clients.closeQuietly(alice, bob);
    }

    @Test
    void mqtt3ClientPublishingWithoutPermissionIsDisconnected() throws Exception {
        MqttClient client = new MqttClient(gateway.mqttUri(), "bob-v3", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName("bob");
        options.setPassword("builder".toCharArray());
        client.connect(options);
        assertThatThrownBy(() -> client.publish("sensors/bob/x", "x".getBytes(StandardCharsets.UTF_8), 1, false))
                .isInstanceOf(MqttException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> !client.isConnected());
        client.close();
    }

    @Test
    void passwordHashesVerifyOnlyTheirPassword() {
        String hash = PasswordHasher.hash("secret".toCharArray(), 1000);
        assertThat(hash).startsWith("pbkdf2-sha256$1000$");
        assertThat(PasswordHasher.verify("secret".toCharArray(), hash)).isTrue();
        assertThat(PasswordHasher.verify("Secret".toCharArray(), hash)).isFalse();
        assertThat(PasswordHasher.verify("secret".toCharArray(), "garbage")).isFalse();
        assertThat(PasswordHasher.hash("secret".toCharArray(), 1000)).isNotEqualTo(hash);
    }

    private static int refusal(String user, String password) {
        try {
            MqttClient client = new MqttClient(gateway.mqttUri(), "refused", new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            if (user != null) {
                options.setUserName(user);
                options.setPassword(password.toCharArray());
            }
            client.connect(options);
            client.disconnect();
            return 0;
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    private static MqttConnectionOptions v5Options(String user, String password) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(user);
        options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        return options;
    }
}
