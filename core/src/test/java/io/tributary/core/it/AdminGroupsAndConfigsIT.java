package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Admin client's config, partition, log-dir, producer and consumer-group calls against the
 * broker, with Kafka's sources, validation and errors.
 */
class AdminGroupsAndConfigsIT {

    private static final int T = 30;

    @TempDir
    static Path dataDir;

    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() {
        broker = EmbeddedBroker.start(dataDir, GroupTestBroker.overrides());
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void topicConfigsAreAlteredIncrementallyValidatedAppliedLiveAndKeptOverARestart() throws Exception {
        String topic = "admin-configs";
        ItClients.createTopic(broker.bootstrapServers(), topic, 1);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
            alter(admin, resource, new AlterConfigOp(new ConfigEntry("retention.ms", "60000"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND),
                    new AlterConfigOp(new ConfigEntry("max.message.bytes", "2000"), AlterConfigOp.OpType.SET));
            Config config = describe(admin, resource);
            assertThat(config.get("retention.ms").value()).isEqualTo("60000");
            assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("delete,compact");
            assertThat(config.get("segment.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);

            alter(admin, resource, new AlterConfigOp(new ConfigEntry("retention.ms", ""), AlterConfigOp.OpType.DELETE));
            assertThat(describe(admin, resource).get("retention.ms").source())
                    .isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);

            assertCause(() -> alter(admin, resource, new AlterConfigOp(new ConfigEntry("retention.ms", "soon"),
                    AlterConfigOp.OpType.SET)), InvalidConfigurationException.class);
            assertCause(() -> alter(admin, resource, new AlterConfigOp(new ConfigEntry("retention.mss", "1"),
                    AlterConfigOp.OpType.SET)), InvalidConfigurationException.class);
            assertCause(() -> alter(admin, resource, new AlterConfigOp(new ConfigEntry("retention.ms", "1"),
                    AlterConfigOp.OpType.APPEND)), InvalidConfigurationException.class);
            assertCause(() -> alter(admin, new ConfigResource(ConfigResource.Type.TOPIC, "admin-missing"),
                    new AlterConfigOp(new ConfigEntry("retention.ms", "1"), AlterConfigOp.OpType.SET)),
                    UnknownTopicOrPartitionException.class);
        }
        // max.message.bytes applies to the live log at once.
        try (KafkaProducer<String, String> producer = ItClients.producer(broker.bootstrapServers(),
                Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000, ProducerConfig.LINGER_MS_CONFIG, 0))) {
            assertCause(() -> producer.send(new ProducerRecord<>(topic, "k", "x".repeat(3000))).get(T, TimeUnit.SECONDS),
                    RecordTooLargeException.class);
        }

        broker.restart();
        try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
            Config config = describe(admin, resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("delete,compact");
            assertThat(config.get("max.message.bytes").value()).isEqualTo("2000");
        }
    }

    @Test
    void brokerConfigsAreDescribedWithTheirSourcesAndAreReadOnly() throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, "0");
        try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
            Config config = describe(admin, resource);
            assertThat(config.get("group.initial.rebalance.delay.ms").value()).isEqualTo("0");
            assertThat(config.get("group.initial.rebalance.delay.ms").source())
                    .isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
            assertThat(config.get("num.partitions").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            assertThat(config.get("num.partitions").isReadOnly()).isTrue();
            assertCause(() -> alter(admin, resource, new AlterConfigOp(new ConfigEntry("num.partitions", "3"),
                    AlterConfigOp.OpType.SET)), InvalidRequestException.class);
        }
    }

    @Test
    void brokerLogLevelsAreDescribedAndChangedWhileTheBrokerRuns() throws Exception {
        ConfigResource loggers = new ConfigResource(ConfigResource.Type.BROKER_LOGGER, "0");
        String name = "io.tributary.core.Broker";
        org.slf4j.Logger brokerLog = LoggerFactory.getLogger(name);
        try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
            Config config = describe(admin, loggers);
            // logback-test.xml: WARN at the root, INFO for io.tributary.
            assertThat(config.get("root").value()).isEqualTo("WARN");
            assertThat(config.get(name).value()).isEqualTo("INFO");
            assertThat(config.get(name).source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_BROKER_LOGGER_CONFIG);
            AlterConfigOp debug = new AlterConfigOp(new ConfigEntry(name, "DEBUG"), AlterConfigOp.OpType.SET);

            admin.incrementalAlterConfigs(Map.of(loggers, List.of(debug)), new AlterConfigsOptions().validateOnly(true))
                    .all().get(T, TimeUnit.SECONDS);
            assertThat(brokerLog.isDebugEnabled()).as("validateOnly changes nothing").isFalse();
            assertCause(() -> alter(admin, loggers, debug, new AlterConfigOp(new ConfigEntry("no.such.logger", "DEBUG"),
                    AlterConfigOp.OpType.SET)), InvalidConfigurationException.class);
            assertThat(brokerLog.isDebugEnabled()).as("a refused change applies none of its request").isFalse();

            alter(admin, loggers, debug);
            assertThat(brokerLog.isDebugEnabled()).isTrue();
            assertThat(describe(admin, loggers).get(name).value()).isEqualTo("DEBUG");

            alter(admin, loggers, new AlterConfigOp(new ConfigEntry(name, ""), AlterConfigOp.OpType.DELETE));
            assertThat(brokerLog.isDebugEnabled()).isFalse();
            assertThat(describe(admin, loggers).get(name).value()).as("inherited from io.tributary").isEqualTo("INFO");

            assertCause(() -> alter(admin, loggers, new AlterConfigOp(new ConfigEntry(name, "VERBOSE"),
                    AlterConfigOp.OpType.SET)), InvalidConfigurationException.class);
            assertCause(() -> alter(admin, loggers, new AlterConfigOp(new ConfigEntry("root", ""),
                    AlterConfigOp.OpType.DELETE)), InvalidRequestException.class);
            assertCause(() -> alter(admin, loggers, new AlterConfigOp(new ConfigEntry(name, "DEBUG"),
                    AlterConfigOp.OpType.APPEND)), InvalidRequestException.class);
        } finally {
            ((ch.qos.logback.classic.Logger) brokerLog).setLevel(null);
        }
    }

    @Test
    void partitionsLogDirsAndProducersAreReported() throws Exception {
        String topic = "admin-partitions";
        ItClients.createTopic(broker.bootstrapServers(), topic, 1);
        try (KafkaProducer<String, String> producer = ItClients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topic, 0, "k", "v")).get(T, TimeUnit.SECONDS);
        }
        try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(3))).all().get(T, TimeUnit.SECONDS);
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get(T, TimeUnit.SECONDS).get(topic)
                    .partitions()).hasSize(3);
            assertCause(() -> admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(2))).all()
                    .get(T, TimeUnit.SECONDS), InvalidPartitionsException.class);
            assertCause(() -> admin.createPartitions(Map.of("__consumer_offsets", NewPartitions.increaseTo(99)))
                    .all().get(T, TimeUnit.SECONDS), InvalidRequestException.class);

            Map<Integer, Map<String, LogDirDescription>> dirs = admin.describeLogDirs(List.of(0))
                    .allDescriptions().get(T, TimeUnit.SECONDS);
            LogDirDescription dir = dirs.get(0).values().iterator().next();
            assertThat(dir.replicaInfos().get(new TopicPartition(topic, 0)).size()).isPositive();
            assertThat(dir.replicaInfos()).containsKey(new TopicPartition(topic, 2));

            Collection<ProducerState> producers = admin.describeProducers(List.of(new TopicPartition(topic, 0)))
                    .partitionResult(new TopicPartition(topic, 0)).get(T, TimeUnit.SECONDS).activeProducers();
            assertThat(producers).hasSize(1);
            assertThat(producers.iterator().next().lastSequence()).isZero();
        }
    }

    @Test
    void consumerGroupsAreListedDescribedAlteredAndDeleted() throws Exception {
        String topic = "admin-groups";
        ItClients.createTopic(broker.bootstrapServers(), topic, 2);
        TopicPartition p0 = new TopicPartition(topic, 0);
        try (Admin admin = ItClients.admin(broker.bootstrapServers());
             GroupMember classic = GroupMember.start(broker.bootstrapServers(), "admin-classic", topic, "classic", "c");
             GroupMember modern = GroupMember.start(broker.bootstrapServers(), "admin-modern", topic, "consumer", "m")) {
            ConsumerGroupIT.awaitTrue("both groups are assigned", () -> classic.assignment().size() == 2
                    && modern.assignment().size() == 2);
            Map<String, GroupListing> listed = new HashMap<>();
            admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(T, TimeUnit.SECONDS)
                    .forEach(g -> listed.put(g.groupId(), g));
            assertThat(listed.get("admin-classic").type()).contains(GroupType.CLASSIC);
            assertThat(listed.get("admin-modern").type()).contains(GroupType.CONSUMER);
            assertThat(listed.get("admin-modern").groupState()).contains(GroupState.STABLE);

            Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(
                    List.of("admin-classic", "admin-modern")).all().get(T, TimeUnit.SECONDS);
            for (ConsumerGroupDescription d : described.values()) {
                assertThat(d.groupState()).isEqualTo(GroupState.STABLE);
                assertThat(d.members()).hasSize(1);
                assertThat(d.members().iterator().next().assignment().topicPartitions()).hasSize(2);
            }
            assertThat(described.get("admin-modern").type()).isEqualTo(GroupType.CONSUMER);
            assertThat(described.get("admin-classic").type()).isEqualTo(GroupType.CLASSIC);

            // Active groups: offsets of subscribed topics stay, and the groups cannot be deleted.
            assertCause(() -> admin.deleteConsumerGroupOffsets("admin-modern", Set.of(p0)).all()
                    .get(T, TimeUnit.SECONDS), GroupSubscribedToTopicException.class);
            assertCause(() -> admin.deleteConsumerGroups(List.of("admin-classic")).all().get(T, TimeUnit.SECONDS),
                    GroupNotEmptyException.class);
        }
        try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
            admin.alterConsumerGroupOffsets("admin-classic", Map.of(p0, new OffsetAndMetadata(5, "reset")))
                    .all().get(T, TimeUnit.SECONDS);
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets("admin-classic").partitionsToOffsetAndMetadata()
                    .get(T, TimeUnit.SECONDS).get(p0);
            assertThat(offset.offset()).isEqualTo(5);
            assertThat(offset.metadata()).isEqualTo("reset");
            admin.deleteConsumerGroupOffsets("admin-classic", Set.of(p0)).all().get(T, TimeUnit.SECONDS);
            assertThat(admin.listConsumerGroupOffsets("admin-classic").partitionsToOffsetAndMetadata()
                    .get(T, TimeUnit.SECONDS)).doesNotContainKey(p0);

            admin.deleteConsumerGroups(List.of("admin-classic", "admin-modern")).all().get(T, TimeUnit.SECONDS);
            assertThat(admin.listGroups().all().get(T, TimeUnit.SECONDS))
                    .noneMatch(g -> g.groupId().startsWith("admin-"));
        }
    }

    @Test
    void offsetsOfADeletedTopicAreForgotten() throws Exception {
        String topic = "admin-deleted";
        ItClients.createTopic(broker.bootstrapServers(), topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
            admin.alterConsumerGroupOffsets("admin-deleted-group", Map.of(tp, new OffsetAndMetadata(0)))
                    .all().get(T, TimeUnit.SECONDS);
            admin.deleteTopics(List.of(topic)).all().get(T, TimeUnit.SECONDS);
            ConsumerGroupIT.awaitTrue("the offsets of the deleted topic are gone", () -> {
                try {
                    return !admin.listConsumerGroupOffsets("admin-deleted-group").partitionsToOffsetAndMetadata()
                            .get(T, TimeUnit.SECONDS).containsKey(tp);
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    // ---- helpers

    private static void alter(Admin admin, ConfigResource resource, AlterConfigOp... ops) throws Exception {
        admin.incrementalAlterConfigs(Map.of(resource, List.of(ops))).all().get(T, TimeUnit.SECONDS);
    }

    private static Config describe(Admin admin, ConfigResource resource) throws Exception {
        return admin.describeConfigs(List.of(resource)).all().get(T, TimeUnit.SECONDS).get(resource);
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    private static void assertCause(Call call, Class<? extends Throwable> cause) {
        assertThatThrownBy(call::run).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(cause);
    }
}
