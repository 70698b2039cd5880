package io.tributary.core.it;

import io.tributary.core.BoundListener;
import io.tributary.core.testing.EmbeddedBroker;
import io.tributary.core.testing.TestCerts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Kafka listeners with their own security protocols, driven by the real Java clients: TLS (PKCS12 and PEM key
 * stores), SASL PLAIN and SCRAM over plaintext and TLS, a named listener mapped through
 * listener.security.protocol.map, SCRAM credentials managed through the Admin API, kcat over SASL_SSL, and
 * requests before authentication refused.
 */
class SecureListenersIT {

    private static final Logger LOG = LoggerFactory.getLogger(SecureListenersIT.class);
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " user_admin=\"admin-secret\" user_alice=\"alice-secret\";";

    @TempDir
    static Path work;
    private static TestCerts certs;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCerts.shared();
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0,"
                + "CLIENT://127.0.0.1:0");
        props.put("listener.security.protocol.map", "CLIENT:SASL_SSL");
        props.putAll(tlsServerProps(certs));
        props.put("ssl.client.auth", "requested");
        props.put("sasl.jaas.config", JAAS);
        props.put("connection.failed.authentication.delay.ms", "50");
        props.put("sasl.max.failed.authentications.per.ip", "1000");
        broker = EmbeddedBroker.start(work.resolve("data"), props);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    /** The broker's key and trust stores for its TLS listeners. */
    static Map<String, String> tlsServerProps(TestCerts certs) {
        return Map.of("ssl.keystore.location", certs.serverKeystore().toString(),
                "ssl.keystore.password", TestCerts.PASSWORD,
                "ssl.truststore.location", certs.truststore().toString(),
                "ssl.truststore.password", TestCerts.PASSWORD);
    }

    static String bootstrap(EmbeddedBroker b, String listener) {
        BoundListener l = b.broker().boundListeners().stream().filter(x -> x.name().equals(listener)).findFirst()
                .orElseThrow();
        return l.host() + ":" + l.port();
    }

    static Map<String, Object> ssl() {
        Map<String, Object> p = new HashMap<>();
        p.put("security.protocol", "SSL");
        p.put("ssl.truststore.location", certs.truststore().toString());
        p.put("ssl.truststore.password", TestCerts.PASSWORD);
        return p;
    }

    static Map<String, Object> sasl(String protocol, String mechanism, String user, String password) {
        Map<String, Object> p = protocol.equals("SASL_SSL") ? ssl() : new HashMap<>();
        p.put("security.protocol", protocol);
        p.put("sasl.mechanism", mechanism);
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        p.put("sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";");
        return p;
    }

    static Admin admin(String bootstrap, Map<String, Object> security) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        p.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50);
        p.putAll(security);
        return Admin.create(p);
    }

    /** Produces {@code count} records and reads them back over the same listener and security settings. */
    static void roundTrip(String bootstrap, Map<String, Object> security, String topic, int count) throws Exception {
        try (KafkaProducer<String, String> producer = ItClients.producer(bootstrap, security)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        try (KafkaConsumer<String, String> consumer = ItClients.consumer(bootstrap, security)) {
            List<ConsumerRecord<String, String>> got = ItClients.consumeFromBeginning(consumer,
                    ItClients.partitions(topic, 1), count, Duration.ofSeconds(30));
            assertThat(got).extracting(ConsumerRecord::value)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, count).mapToObj(i -> "v" + i).toList());
        }
    }

    @Test
    void sslListenerServesProducerAndConsumer() throws Exception {
        roundTrip(bootstrap(broker, "SSL"), ssl(), "over-tls", 20);
    }

    @Test
    void plainTextListenerStillWorksBesideSecureOnes() throws Exception {
        roundTrip(bootstrap(broker, "PLAINTEXT"), Map.of(), "over-plaintext", 5);
    }

    @Test
    void saslPlainAuthenticatesAndRefusesAWrongPassword() throws Exception {
        String bootstrap = bootstrap(broker, "SASL_PLAINTEXT");
        roundTrip(bootstrap, sasl("SASL_PLAINTEXT", "PLAIN", "alice", "alice-secret"), "over-sasl-plain", 10);
        try (Admin admin = admin(bootstrap, sasl("SASL_PLAINTEXT", "PLAIN", "alice", "wrong"))) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        try (Admin admin = admin(bootstrap, sasl("SASL_PLAINTEXT", "PLAIN", "nobody", "x"))) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void scramCredentialsAreManagedThroughTheAdminApiAndAuthenticateOverSaslSsl() throws Exception {
        String named = bootstrap(broker, "CLIENT");
        try (Admin admin = admin(bootstrap(broker, "SASL_PLAINTEXT"), sasl("SASL_PLAINTEXT", "PLAIN", "admin",
                "admin-secret"))) {
            admin.alterUserScramCredentials(List.of(
                    new UserScramCredentialUpsertion("carol", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256,
                            8192), "carol-secret"),
                    new UserScramCredentialUpsertion("dave", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512,
                            4096), "dave-secret"))).all().get(30, TimeUnit.SECONDS);
            Map<String, UserScramCredentialsDescription> described = admin.describeUserScramCredentials()
                    .all().get(30, TimeUnit.SECONDS);
            assertThat(described).containsKeys("carol", "dave");
            assertThat(described.get("carol").credentialInfos())
                    .containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192));
            // Kafka refuses fewer than 4096 iterations.
            assertThatThrownBy(() -> admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("erin",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 100), "x"))).all().get(30, TimeUnit.SECONDS))
                    .hasMessageContaining("Iterations");
        }
        // Stored salted and hashed: the password is nowhere in the file.
        String stored = Files.readString(broker.dataDir().resolve("__tributary_metadata/scram-credentials.json"));
        assertThat(stored).contains("carol").doesNotContain("carol-secret");

        roundTrip(named, sasl("SASL_SSL", "SCRAM-SHA-256", "carol", "carol-secret"), "over-scram-256", 10);
        roundTrip(named, sasl("SASL_SSL", "SCRAM-SHA-512", "dave", "dave-secret"), "over-scram-512", 10);
        // PLAIN accepts SCRAM users too.
        roundTrip(bootstrap(broker, "SASL_PLAINTEXT"), sasl("SASL_PLAINTEXT", "PLAIN", "carol", "carol-secret"),
                "over-plain-scram-user", 3);
        try (Admin admin = admin(named, sasl("SASL_SSL", "SCRAM-SHA-256", "carol", "not-carols"))) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        // The mechanism must match the stored credential.
        try (Admin admin = admin(named, sasl("SASL_SSL", "SCRAM-SHA-512", "carol", "carol-secret"))) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        try (Admin admin = admin(bootstrap(broker, "SASL_PLAINTEXT"), sasl("SASL_PLAINTEXT", "PLAIN", "admin",
                "admin-secret"))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("dave",
                    ScramMechanism.SCRAM_SHA_512))).all().get(30, TimeUnit.SECONDS);
            assertThat(admin.describeUserScramCredentials().all().get(30, TimeUnit.SECONDS)).doesNotContainKey("dave");
        }
        try (Admin admin = admin(named, sasl("SASL_SSL", "SCRAM-SHA-512", "dave", "dave-secret"))) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void requestsBeforeSaslAuthenticationCloseTheConnection() throws Exception {
        BoundListener l = broker.broker().boundListeners().stream().filter(x -> x.name().equals("SASL_PLAINTEXT"))
                .findFirst().orElseThrow();
        try (RawKafkaSocket socket = RawKafkaSocket.connect(l.port())) {
            // ApiVersions is allowed before authentication and lists the SASL APIs.
            ApiVersionsResponse versions = socket.roundTrip(new ApiVersionsRequest.Builder().build((short) 3));
            assertThat(versions.data().errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(versions.data().apiKeys().find((short) 17)).isNotNull();
            assertThat(versions.data().apiKeys().find((short) 36)).isNotNull();
            socket.send(new MetadataRequest.Builder(new MetadataRequestData().setTopics(null)).build((short) 12));
            assertThat(socket.closedByPeerWithin(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void pemKeyStoreAndTrustStoreServeTls() throws Exception {
        Path pem = certs.pemKeyAndChain("server");
        Assumptions.assumeTrue(pem != null, "openssl is not installed: no PEM files");
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "SSL://127.0.0.1:0");
        props.put("ssl.keystore.type", "PEM");
        props.put("ssl.keystore.location", pem.toString());
        try (EmbeddedBroker pemBroker = EmbeddedBroker.start(work.resolve("pem-data"), props)) {
            Map<String, Object> client = new HashMap<>();
            client.put("security.protocol", "SSL");
            client.put("ssl.truststore.type", "PEM");
            client.put("ssl.truststore.location", certs.caPem().toString());
            roundTrip(pemBroker.bootstrapServers(), client, "over-pem-tls", 3);
        }
    }

    @Test
    void kcatProducesAndConsumesOverSaslSslWithScram() throws Exception {
        String kcat = findOnPath("kcat");
        if (kcat == null) {
            LOG.warn("kcat is not on PATH: skipping the kcat SASL_SSL test");
        }
        Assumptions.assumeTrue(kcat != null, "kcat is not on PATH");
        try (Admin admin = admin(bootstrap(broker, "SASL_PLAINTEXT"), sasl("SASL_PLAINTEXT", "PLAIN", "admin",
                "admin-secret"))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("kcat-user",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "kcat-secret")))
                    .all().get(30, TimeUnit.SECONDS);
        }
        List<String> common = List.of("-b", bootstrap(broker, "CLIENT"), "-X", "security.protocol=SASL_SSL",
                "-X", "sasl.mechanisms=SCRAM-SHA-256", "-X", "sasl.username=kcat-user",
                "-X", "sasl.password=kcat-secret", "-X", "ssl.ca.location=" + certs.caPem());
        List<String> produce = new ArrayList<>(List.of(kcat, "-P", "-t", "kcat-sasl-ssl", "-p", "0"));
        produce.addAll(common);
        assertThat(run(produce, "one\ntwo\nthree\n")).isZero();
        Path out = work.resolve("kcat.out");
        List<String> consume = new ArrayList<>(List.of(kcat, "-C", "-t", "kcat-sasl-ssl", "-o", "beginning", "-e"));
        consume.addAll(common);
        assertThat(run(consume, null, out)).isZero();
        assertThat(Files.readAllLines(out)).containsExactly("one", "two", "three");
        // Wrong password: kcat fails.
        List<String> bad = new ArrayList<>(List.of(kcat, "-L", "-m", "10"));
        bad.addAll(common.stream().map(s -> s.equals("sasl.password=kcat-secret") ? "sasl.password=nope" : s).toList());
        assertThat(run(bad, null)).isNotZero();
    }

    private static int run(List<String> command, String stdin) throws Exception {
        return run(command, stdin, work.resolve("kcat-" + System.nanoTime() + ".out"));
    }

    private static int run(List<String> command, String stdin, Path out) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(work.resolve("kcat-" + System.nanoTime() + ".err").toFile());
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    static String findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
