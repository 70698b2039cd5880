package io.tributary.gateway;

import io.tributary.core.BoundListener;
import io.tributary.core.config.BrokerConfig;
import io.tributary.core.testing.EmbeddedBroker;
import io.tributary.core.testing.TestCerts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gateways with the broker's security: MQTT over TLS with username/password (checked against the broker's
 * users) and with a client certificate, HTTPS with basic auth, and the broker's ACLs deciding what each principal
 * may publish, subscribe, produce and create.
 */
class GatewaySecurityIT {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " user_admin=\"admin-secret\" user_alice=\"alice-secret\" user_bob=\"bob-secret\";";

    @TempDir
    static Path work;
    private static TestCerts certs;
    private static EmbeddedBroker broker;
    private static Gateway gateway;
    private static Map<String, Integer> ports = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        certs = TestCerts.generate(work.resolve("certs"));
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "SASL_PLAINTEXT://127.0.0.1:0");
        props.put("mqtt.listeners", "MQTTS://127.0.0.1:0");
        props.put("http.listeners", "HTTPS://127.0.0.1:0");
        props.put("listener.security.protocol.map", "MQTTS:SSL,HTTPS:SASL_SSL");
        props.put("ssl.keystore.location", certs.serverKeystore().toString());
        props.put("ssl.keystore.password", TestCerts.PASSWORD);
        props.put("ssl.truststore.location", certs.truststore().toString());
        props.put("ssl.truststore.password", TestCerts.PASSWORD);
        props.put("ssl.client.auth", "requested");
        props.put("sasl.jaas.config", JAAS);
        props.put("sasl.max.failed.authentications.per.ip", "1000");
        props.put("authorizer.class.name", "builtin");
        props.put("super.users", "User:admin");
        props.put("num.network.threads", "2");
        broker = EmbeddedBroker.start(work.resolve("data"), props);
        props.put("log.dirs", broker.dataDir().toString());
        gateway = Gateway.start(broker.broker().vertx(), BrokerConfig.parse(props), broker.broker().api())
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        for (BoundListener l : gateway.boundListeners()) {
            ports.put(l.name(), l.port());
        }
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("sensors", 1, (short) 1), new NewTopic("secret", 1, (short) 1),
                    new NewTopic("devices", 1, (short) 1), new NewTopic("orders", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
            admin.createAcls(List.of(
                    acl("sensors", "User:alice", AclOperation.WRITE), acl("sensors", "User:alice", AclOperation.READ),
                    acl("orders", "User:alice", AclOperation.WRITE),
                    acl("devices", "User:" + TestCerts.CLIENT_DN, AclOperation.WRITE)))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static AclBinding acl(String topic, String principal, AclOperation op) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }

    private static Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", "PLAIN");
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"admin\" password=\"admin-secret\";");
        return Admin.create(p);
    }

    private static List<String> values(String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", "PLAIN");
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"admin\" password=\"admin-secret\";");
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<String> out = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
            return out;
        }
    }

    private static SSLContext tls(boolean withClientCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certs.truststore())) {
            trust.load(in, TestCerts.PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (withClientCertificate) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(certs.clientKeystore())) {
                keys.load(in, TestCerts.PASSWORD.toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, TestCerts.PASSWORD.toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static MqttClient mqtts(String clientId, String user, String password, boolean certificate)
            throws Exception {
        MqttClient client = new MqttClient("ssl://127.0.0.1:" + ports.get("MQTTS"), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(tls(certificate).getSocketFactory());
        options.setCleanSession(true);
        options.setConnectionTimeout(10);
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.toCharArray());
        }
        client.connect(options);
        return client;
    }

    @Test
    void mqttOverTlsWithUsernameAndPasswordFollowsTheAcls() throws Exception {
        MqttClient alice = mqtts("alice-1", "alice", "alice-secret", false);
        try {
            alice.publish("sensors/t1", "21.5".getBytes(StandardCharsets.UTF_8), 1, false);
            try {
                alice.publish("secret/x", "nope".getBytes(StandardCharsets.UTF_8), 1, false);
            } catch (MqttException refusedOrDisconnected) {
                // MQTT 3.1.1 has no negative PUBACK: the gateway may drop the client instead.
            }
        } finally {
            if (alice.isConnected()) {
                alice.disconnect();
            }
            alice.close();
        }
        assertThat(values("sensors")).containsExactly("21.5");
        assertThat(values("secret")).isEmpty();
        MqttClient subscriber = mqtts("alice-2", "alice", "alice-secret", false);
        try {
            int[] granted = subscriber.subscribeWithResponse(new String[]{"sensors/#", "secret/#"}, new int[]{1, 1})
                    .getGrantedQos();
            assertThat(granted[0]).isEqualTo(1);
            assertThat(granted[1]).isEqualTo(0x80);
        } finally {
            subscriber.disconnect();
            subscriber.close();
        }
        assertThatThrownBy(() -> mqtts("alice-3", "alice", "wrong", false))
                .isInstanceOf(MqttException.class)
                .satisfies(e -> assertThat(((MqttException) e).getReasonCode())
                        .isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION));
    }

    @Test
    void mqttClientCertificateIsThePrincipal() throws Exception {
        MqttClient device = mqtts("device-1", null, null, true);
        try {
            device.publish("devices/d1/temp", "19".getBytes(StandardCharsets.UTF_8), 1, false);
        } finally {
            device.disconnect();
            device.close();
        }
        assertThat(values("devices")).containsExactly("19");
        // Anonymous TLS clients have no ACLs: their publishes are refused.
        MqttClient anonymous = mqtts("anon-1", null, null, false);
        try {
            anonymous.publish("devices/d1/temp", "hacked".getBytes(StandardCharsets.UTF_8), 1, false);
        } catch (MqttException refusedOrDisconnected) {
            // see above
        } finally {
            if (anonymous.isConnected()) {
                anonymous.disconnect();
            }
            anonymous.close();
        }
        assertThat(values("devices")).containsExactly("19");
    }

    @Test
    void httpsWithBasicAuthFollowsTheAcls() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(tls(false)).connectTimeout(Duration.ofSeconds(10)).build();
        String base = "https://127.0.0.1:" + ports.get("HTTPS");
        String body = "{\"records\":[{\"value\":{\"id\":1}}]}";
        assertThat(post(http, base + "/topics/orders", body, "alice", "alice-secret").statusCode()).isEqualTo(200);
        assertThat(values("orders")).containsExactly("{\"id\":1}");
        HttpResponse<String> noAuth = post(http, base + "/topics/orders", body, null, null);
        assertThat(noAuth.statusCode()).isEqualTo(401);
        assertThat(noAuth.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(post(http, base + "/topics/orders", body, "alice", "wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> bob = post(http, base + "/topics/orders", body, "bob", "bob-secret");
        assertThat(bob.statusCode()).isEqualTo(403);
        assertThat(bob.body()).contains("40301");
        assertThat(post(http, base + "/admin/topics", "{\"name\":\"alice-made\"}", "alice", "alice-secret").statusCode())
                .isEqualTo(403);
        assertThat(values("orders")).hasSize(1);
        // Listings and operator views follow the ACLs too.
        assertThat(get(http, base + "/topics", "alice", "alice-secret").body()).contains("\"orders\"");
        HttpResponse<String> bobsTopics = get(http, base + "/topics", "bob", "bob-secret");
        assertThat(bobsTopics.statusCode()).isEqualTo(200);
        assertThat(bobsTopics.body()).doesNotContain("orders");
        assertThat(get(http, base + "/admin/groups", "bob", "bob-secret").statusCode()).isEqualTo(403);
    }

    private static HttpResponse<String> get(HttpClient http, String url, String user, String password)
            throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8)))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient http, String url, String body, String user, String password)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/vnd.kafka.json.v2+json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
