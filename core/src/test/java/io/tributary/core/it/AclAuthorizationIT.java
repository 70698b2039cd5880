package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import io.tributary.core.testing.TestCerts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.tributary.core.it.SecureListenersIT.admin;
import static io.tributary.core.it.SecureListenersIT.bootstrap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Kafka's ACL model with the built-in authorizer on, through the real Java clients and kafka-acls: a principal
 * without ACLs is refused on produce, fetch, group join and admin calls with Kafka's error codes; LITERAL and PREFIXED
 * grants, DENY winning, implied DESCRIBE, super users, mutual-TLS principals, and transactional ids.
 */
class AclAuthorizationIT {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " user_admin=\"admin-secret\" user_alice=\"alice-secret\" user_bob=\"bob-secret\";";

    @TempDir
    static Path work;
    private static TestCerts certs;
    private static EmbeddedBroker broker;
    private static String sasl;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCerts.shared();
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "SASL_PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0");
        props.put("ssl.keystore.location", certs.serverKeystore().toString());
        props.put("ssl.keystore.password", TestCerts.PASSWORD);
        props.put("ssl.truststore.location", certs.truststore().toString());
        props.put("ssl.truststore.password", TestCerts.PASSWORD);
        props.put("ssl.client.auth", "required");
        props.put("sasl.jaas.config", JAAS);
        props.put("sasl.max.failed.authentications.per.ip", "1000");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:admin");
        broker = EmbeddedBroker.start(work.resolve("data"), props);
        sasl = bootstrap(broker, "SASL_PLAINTEXT");
        try (Admin admin = admin(sasl, user("admin"))) {
            admin.createTopics(List.of(new NewTopic("orders-eu", 1, (short) 1), new NewTopic("orders-secret", 1, (short) 1),
                    new NewTopic("payments", 1, (short) 1), new NewTopic("devices", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    static Map<String, Object> user(String name) {
        return SecureListenersIT.sasl("SASL_PLAINTEXT", "PLAIN", name, name + "-secret");
    }

    private static Map<String, Object> ssl() {
        Map<String, Object> p = new HashMap<>();
        p.put("security.protocol", "SSL");
        p.put("ssl.truststore.location", certs.truststore().toString());
        p.put("ssl.truststore.password", TestCerts.PASSWORD);
        return p;
    }

    private static void grant(AclBinding... bindings) throws Exception {
        try (Admin admin = admin(sasl, user("admin"))) {
            admin.createAcls(List.of(bindings)).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static AclBinding acl(ResourceType type, String name, PatternType pattern, String principal,
                                  AclOperation op, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", op, permission));
    }

    private static Throwable rootOf(Throwable t) {
        while (t.getCause() != null && !(t instanceof org.apache.kafka.common.errors.ApiException)) {
            t = t.getCause();
        }
        return t;
    }

    @Test
    void aPrincipalWithoutAclsIsRefusedEverywhereWithKafkasErrorCodes() throws Exception {
        Map<String, Object> bob = user("bob");
        // Produce: TOPIC_AUTHORIZATION_FAILED (the idempotent producer is refused first, at InitProducerId).
        Map<String, Object> producerProps = new HashMap<>(bob);
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "1");
        try (KafkaProducer<String, String> producer = ItClients.producer(sasl, producerProps)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("payments", "k", "v")).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        try (KafkaProducer<String, String> producer = ItClients.producer(sasl, bob)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("payments", "k", "v")).get(30, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(rootOf(e)).isInstanceOfAny(ClusterAuthorizationException.class,
                            TopicAuthorizationException.class));
        }
        // Fetch: TOPIC_AUTHORIZATION_FAILED.
        try (KafkaConsumer<String, String> consumer = ItClients.consumer(sasl, bob)) {
            consumer.assign(List.of(new TopicPartition("payments", 0)));
            consumer.seek(new TopicPartition("payments", 0), 0);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 50; i++) {
                    consumer.poll(Duration.ofMillis(200));
                }
            }).isInstanceOf(TopicAuthorizationException.class);
        }
        // Group join: GROUP_AUTHORIZATION_FAILED (bob may read the topic, not use the group).
        grant(acl(ResourceType.TOPIC, "payments", PatternType.LITERAL, "User:bob", AclOperation.READ,
                AclPermissionType.ALLOW));
        Map<String, Object> groupProps = new HashMap<>(bob);
        groupProps.put(ConsumerConfig.GROUP_ID_CONFIG, "bobs-group");
        try (KafkaConsumer<String, String> consumer = ItClients.consumer(sasl, groupProps)) {
            consumer.subscribe(List.of("payments"));
            assertThatThrownBy(() -> {
                for (int i = 0; i < 50; i++) {
                    consumer.poll(Duration.ofMillis(200));
                }
            }).isInstanceOf(GroupAuthorizationException.class);
        }
        // Admin calls.
        try (Admin admin = admin(sasl, bob)) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsExactly("payments");
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("bobs", 1, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> admin.deleteTopics(List.of("orders-eu")).all().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> admin.createPartitions(Map.of("payments", NewPartitions.increaseTo(3))).all()
                    .get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC,
                    "payments"), List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "1000"),
                    AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, "0")))
                    .all().get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(ClusterAuthorizationException.class);
            assertThatThrownBy(() -> admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ClusterAuthorizationException.class);
            assertThatThrownBy(() -> admin.createAcls(List.of(acl(ResourceType.TOPIC, "payments", PatternType.LITERAL,
                    "User:bob", AclOperation.ALL, AclPermissionType.ALLOW))).all().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ClusterAuthorizationException.class);
            assertThatThrownBy(() -> admin.listConsumerGroupOffsets("bobs-group").partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void prefixedAndLiteralGrantsAllowAndDenyWins() throws Exception {
        grant(acl(ResourceType.TOPIC, "orders-", PatternType.PREFIXED, "User:alice", AclOperation.WRITE,
                        AclPermissionType.ALLOW),
                acl(ResourceType.TOPIC, "orders-", PatternType.PREFIXED, "User:alice", AclOperation.READ,
                        AclPermissionType.ALLOW),
                acl(ResourceType.TOPIC, "orders-secret", PatternType.LITERAL, "User:alice", AclOperation.READ,
                        AclPermissionType.DENY),
                acl(ResourceType.GROUP, "alice-", PatternType.PREFIXED, "User:alice", AclOperation.READ,
                        AclPermissionType.ALLOW));
        Map<String, Object> alice = user("alice");
        try (KafkaProducer<String, String> producer = ItClients.producer(sasl, alice)) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("orders-eu", 0, "k", "eu-" + i)).get(30, TimeUnit.SECONDS);
            }
            producer.send(new ProducerRecord<>("orders-secret", 0, "k", "s")).get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("payments", 0, "k", "v")).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        // READ on the group and the topic: a group consumer gets the records and commits.
        Map<String, Object> groupProps = new HashMap<>(alice);
        groupProps.put(ConsumerConfig.GROUP_ID_CONFIG, "alice-readers");
        try (KafkaConsumer<String, String> consumer = ItClients.consumer(sasl, groupProps)) {
            consumer.subscribe(List.of("orders-eu"));
            List<String> got = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (got.size() < 5 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> got.add(r.value()));
            }
            assertThat(got).containsExactly("eu-0", "eu-1", "eu-2", "eu-3", "eu-4");
            consumer.commitSync();
        }
        // DENY READ wins over the prefixed ALLOW.
        try (KafkaConsumer<String, String> consumer = ItClients.consumer(sasl, alice)) {
            consumer.assign(List.of(new TopicPartition("orders-secret", 0)));
            consumer.seek(new TopicPartition("orders-secret", 0), 0);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 50; i++) {
                    consumer.poll(Duration.ofMillis(200));
                }
            }).isInstanceOf(TopicAuthorizationException.class);
        }
        // Metadata shows what alice may DESCRIBE (implied by READ/WRITE): the orders- topics only.
        try (Admin admin = admin(sasl, alice)) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("orders-eu", "orders-secret")
                    .doesNotContain("payments", "devices");
        }
        // A group outside alice's prefix is refused.
        groupProps.put(ConsumerConfig.GROUP_ID_CONFIG, "other-group");
        try (KafkaConsumer<String, String> consumer = ItClients.consumer(sasl, groupProps)) {
            consumer.subscribe(List.of("orders-eu"));
            assertThatThrownBy(() -> {
                for (int i = 0; i < 50; i++) {
                    consumer.poll(Duration.ofMillis(200));
                }
            }).isInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void aclsAreListedAndDeletedWithFilters() throws Exception {
        AclBinding a = acl(ResourceType.TOPIC, "audit", PatternType.LITERAL, "User:carl", AclOperation.READ,
                AclPermissionType.ALLOW);
        AclBinding b = acl(ResourceType.TOPIC, "aud", PatternType.PREFIXED, "User:carl", AclOperation.WRITE,
                AclPermissionType.ALLOW);
        AclBinding c = acl(ResourceType.GROUP, "carls", PatternType.LITERAL, "User:carl", AclOperation.READ,
                AclPermissionType.ALLOW);
        grant(a, b, c);
        try (Admin admin = admin(sasl, user("admin"))) {
            AclBindingFilter carls = new AclBindingFilter(ResourcePatternFilter.ANY,
                    new AccessControlEntryFilter("User:carl", null, AclOperation.ANY, AclPermissionType.ANY));
            assertThat(admin.describeAcls(carls).values().get(30, TimeUnit.SECONDS)).containsExactlyInAnyOrder(a, b, c);
            // MATCH: every pattern that applies to the topic "audit".
            AclBindingFilter match = new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC, "audit",
                    PatternType.MATCH), AccessControlEntryFilter.ANY);
            assertThat(admin.describeAcls(match).values().get(30, TimeUnit.SECONDS)).contains(a, b).doesNotContain(c);
            Collection<AclBinding> deleted = admin.deleteAcls(List.of(new AclBindingFilter(new ResourcePatternFilter(
                    ResourceType.TOPIC, null, PatternType.ANY), new AccessControlEntryFilter("User:carl", null,
                    AclOperation.ANY, AclPermissionType.ANY)))).all().get(30, TimeUnit.SECONDS);
            assertThat(deleted).containsExactlyInAnyOrder(a, b);
            assertThat(admin.describeAcls(carls).values().get(30, TimeUnit.SECONDS)).containsExactly(c);
        }
        // Stored in the metadata directory.
        assertThat(Files.readString(broker.dataDir().resolve("__tributary_metadata/acls.json"))).contains("carls");
    }

    @Test
    void kafkaAclsAndKafkaConfigsCommandLineToolsWork() throws Exception {
        Path adminConfig = work.resolve("admin.properties");
        Files.writeString(adminConfig, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"admin\" password=\"admin-secret\";\n");
        CliTool.Result add = CliTool.run("org.apache.kafka.tools.AclCommand", "--bootstrap-server", sasl, "--command-config",
                adminConfig.toString(), "--add", "--allow-principal", "User:dora", "--operation", "Read",
                "--topic", "dora-topic", "--group", "dora-group");
        assertThat(add.exitCode()).as("%s", add).isZero();
        CliTool.Result list = CliTool.run("org.apache.kafka.tools.AclCommand", "--bootstrap-server", sasl, "--command-config",
                adminConfig.toString(), "--list", "--topic", "dora-topic");
        assertThat(list.exitCode()).as("%s", list).isZero();
        assertThat(list.out()).contains("User:dora").contains("READ");
        CliTool.Result scram = CliTool.run("kafka.admin.ConfigCommand", "--bootstrap-server", sasl, "--command-config",
                adminConfig.toString(), "--alter", "--add-config", "SCRAM-SHA-256=[iterations=4096,password=dora-secret]",
                "--entity-type", "users", "--entity-name", "dora");
        assertThat(scram.exitCode()).as("%s", scram).isZero();
        CliTool.Result described = CliTool.run("kafka.admin.ConfigCommand", "--bootstrap-server", sasl,
                "--command-config", adminConfig.toString(), "--describe", "--entity-type", "users", "--entity-name", "dora");
        assertThat(described.out()).as("%s", described).contains("SCRAM-SHA-256=iterations=4096");
        // dora authenticates with SCRAM and reads (nothing) from her topic: READ implies DESCRIBE.
        try (Admin admin = admin(sasl, SecureListenersIT.sasl("SASL_PLAINTEXT", "SCRAM-SHA-256", "dora", "dora-secret"))) {
            assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isEqualTo(broker.broker().clusterId());
        }
    }

    @Test
    void theClientCertificateIsThePrincipalOnMutualTls() throws Exception {
        String principal = "User:" + TestCerts.CLIENT_DN;
        grant(acl(ResourceType.TOPIC, "devices", PatternType.LITERAL, principal, AclOperation.WRITE,
                AclPermissionType.ALLOW), acl(ResourceType.TOPIC, "devices", PatternType.LITERAL, principal,
                AclOperation.READ, AclPermissionType.ALLOW));
        Map<String, Object> tls = ssl();
        tls.put("ssl.keystore.location", certs.clientKeystore().toString());
        tls.put("ssl.keystore.password", TestCerts.PASSWORD);
        tls.put("ssl.key.password", TestCerts.PASSWORD);
        String bootstrap = bootstrap(broker, "SSL");
        try (KafkaProducer<String, String> producer = ItClients.producer(bootstrap, tls)) {
            producer.send(new ProducerRecord<>("devices", 0, "d1", "temp=21")).get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("payments", 0, "d1", "x")).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        try (KafkaConsumer<String, String> consumer = ItClients.consumer(bootstrap, tls)) {
            List<ConsumerRecord<String, String>> got = ItClients.consumeFromBeginning(consumer,
                    List.of(new TopicPartition("devices", 0)), 1, Duration.ofSeconds(30));
            assertThat(got).extracting(ConsumerRecord::value).contains("temp=21");
        }
        // Without a client certificate the TLS handshake itself fails (ssl.client.auth=required).
        try (Admin admin = admin(bootstrap, ssl())) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(Exception.class);
        }
    }

    @Test
    void transactionalIdsNeedWrite() throws Exception {
        grant(acl(ResourceType.TOPIC, "tx-", PatternType.PREFIXED, "User:erin", AclOperation.WRITE,
                AclPermissionType.ALLOW));
        try (Admin admin = admin(sasl, user("admin"))) {
            admin.createTopics(List.of(new NewTopic("alice-tx-topic", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        grant(acl(ResourceType.TOPIC, "alice-tx-topic", PatternType.LITERAL, "User:alice", AclOperation.WRITE,
                AclPermissionType.ALLOW));
        Map<String, Object> props = new HashMap<>(user("alice"));
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "alice-tx");
        try (KafkaProducer<String, String> producer = ItClients.producer(sasl, props)) {
            assertThatThrownBy(producer::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
        }
        grant(acl(ResourceType.TRANSACTIONAL_ID, "alice-tx", PatternType.LITERAL, "User:alice", AclOperation.WRITE,
                AclPermissionType.ALLOW));
        try (KafkaProducer<String, String> producer = ItClients.producer(sasl, props)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("alice-tx-topic", 0, "k", "v"));
            producer.commitTransaction();
        }
        assertThat(Set.of("alice-tx")).isNotEmpty();
    }
}
