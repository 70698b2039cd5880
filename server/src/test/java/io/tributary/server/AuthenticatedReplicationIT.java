package io.tributary.server;

import io.tributary.core.testing.TestCerts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replication when the only listener requires authentication: two broker JVMs whose one Kafka listener is
 * SASL_PLAINTEXT (followers log in with PLAIN as the broker user), or SSL with client certificates required
 * (followers present the broker's certificate), with ACLs on. Replicas reach the ISR, acks=all writes with
 * min.insync.replicas=2 succeed, and the records are read back from the follower after the leader is killed.
 */
class AuthenticatedReplicationIT {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"broker\" password=\"broker-secret\""
            + " user_broker=\"broker-secret\" user_admin=\"admin-secret\";";

    @TempDir
    Path root;

    private final List<ChildBroker> brokers = new ArrayList<>();

    @AfterEach
    void killAll() throws InterruptedException {
        for (ChildBroker broker : brokers) {
            broker.kill();
        }
        ClusterLogs.keep(root, "AuthenticatedReplicationIT");
    }

    @Test
    void replicatesOverASaslOnlyListener() throws Exception {
        Map<String, String> security = new HashMap<>();
        security.put("sasl.jaas.config", JAAS);
        security.put("inter.broker.listener.name", "SASL_PLAINTEXT");
        security.put("authorizer.class.name", "builtin");
        security.put("super.users", "User:admin;User:broker");
        startCluster("SASL_PLAINTEXT", security);
        Map<String, Object> client = Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"admin\" password=\"admin-secret\";");
        replicateAndFailOver(client, "sasl-replicated");
    }

    @Test
    void replicatesOverAnSslOnlyListenerWithClientCertificates() throws Exception {
        TestCerts certs = TestCerts.generate(root.resolve("certs"));
        Map<String, String> security = new HashMap<>();
        security.put("ssl.keystore.location", certs.serverKeystore().toString());
        security.put("ssl.keystore.password", TestCerts.PASSWORD);
        security.put("ssl.truststore.location", certs.truststore().toString());
        security.put("ssl.truststore.password", TestCerts.PASSWORD);
        security.put("ssl.client.auth", "required");
        security.put("authorizer.class.name", "builtin");
        // The followers present the brokers' own certificate; the test client presents the client one.
        security.put("super.users", "User:CN=localhost;User:" + TestCerts.CLIENT_DN);
        startCluster("SSL", security);
        Map<String, Object> client = new HashMap<>();
        client.put("security.protocol", "SSL");
        client.put("ssl.truststore.location", certs.truststore().toString());
        client.put("ssl.truststore.password", TestCerts.PASSWORD);
        client.put("ssl.keystore.location", certs.clientKeystore().toString());
        client.put("ssl.keystore.password", TestCerts.PASSWORD);
        replicateAndFailOver(client, "ssl-replicated");
    }

    private void replicateAndFailOver(Map<String, Object> client, String topic) throws Exception {
        try (Admin admin = admin(client)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 2)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get(60, TimeUnit.SECONDS);
            awaitIsr(admin, topic, 2);
            try (KafkaProducer<String, String> producer = producer(client)) {
                for (int i = 0; i < 50; i++) {
                    // acks=all with min.insync.replicas=2: only acknowledged once the follower has the record.
                    producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
                }
            }
            int leader = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().get(0).leader().id();
            ChildBroker survivor = brokers.get(leader == 1 ? 1 : 0);
            brokers.get(leader - 1).kill();
            Map<String, Object> direct = new HashMap<>(client);
            direct.put("bootstrap.servers", survivor.bootstrap());
            assertThat(readAll(direct, new TopicPartition(topic, 0), 50)).hasSize(50)
                    .allSatisfy(r -> assertThat(r.value()).isEqualTo("v" + r.offset()));
        }
    }

    private void startCluster(String protocol, Map<String, String> security) throws Exception {
        List<Integer> clusterPorts = List.of(ChildBroker.freePort(), ChildBroker.freePort());
        String join = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        for (int i = 0; i < 2; i++) {
            int kafkaPort = ChildBroker.freePort();
            Map<String, String> overrides = new HashMap<>(security);
            overrides.put("node.id", String.valueOf(i + 1));
            overrides.put("cluster.port", String.valueOf(clusterPorts.get(i)));
            overrides.put("cluster.join", join);
            overrides.put("cluster.failure.detection.ms", "4000");
            overrides.put("replica.lag.time.max.ms", "10000");
            overrides.put("default.replication.factor", "2");
            // The only Kafka listener requires authentication.
            overrides.put("listeners", protocol + "://127.0.0.1:" + kafkaPort);
            Path dir = root.resolve(protocol + "-node-" + (i + 1));
            Files.createDirectories(dir.resolve("logs"));
            brokers.add(new ChildBroker(dir.resolve("data"), dir.resolve("logs"), overrides).withFixedPort(kafkaPort));
        }
        ClusterTestSupport.startInParallel(brokers);
    }

    private String bootstrap() {
        return brokers.stream().map(ChildBroker::bootstrap).collect(Collectors.joining(","));
    }

    private Admin admin(Map<String, Object> client) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(props);
    }

    private KafkaProducer<String, String> producer(Map<String, Object> client) {
        Properties props = new Properties();
        props.putAll(client);
        props.put("bootstrap.servers", bootstrap());
        props.put("acks", "all");
        props.put("delivery.timeout.ms", 60_000);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static List<ConsumerRecord<String, String>> readAll(Map<String, Object> client, TopicPartition tp,
                                                                int count) {
        Properties props = new Properties();
        props.putAll(client);
        props.put("enable.auto.commit", false);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    private static void awaitIsr(Admin admin, String topic, int size) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String last = "";
        while (System.nanoTime() < deadline) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic);
            boolean full = d.partitions().stream().allMatch(p -> p.isr().size() == size);
            if (full) {
                return;
            }
            last = d.partitions().stream().map(TopicPartitionInfo::toString).collect(Collectors.joining("; "));
            Thread.sleep(250);
        }
        throw new AssertionError("the ISR of " + topic + " did not reach " + size + " replicas: " + last);
    }
}
