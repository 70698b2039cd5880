package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Admin client against a single broker: topics, configs, offsets, cluster, and Kafka's errors. */
class AdminIT {

    private static final long T = 30;

    @TempDir
    Path dataDir;

    private EmbeddedBroker broker;
    private Admin admin;

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.start(dataDir);
        admin = ItClients.admin(broker.bootstrapServers());
    }

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void createDescribeListAndDeleteTopics() throws Exception {
        Map<String, String> configs = Map.of(
                "retention.ms", "3600000",
                "cleanup.policy", "compact",
                "segment.bytes", "1048576");
        CreateTopicsResult created = admin.createTopics(List.of(
                new NewTopic("orders", 4, (short) 1).configs(configs),
                new NewTopic("plain", Optional.empty(), Optional.empty())));
        created.all().get(T, TimeUnit.SECONDS);
        assertThat(created.numPartitions("orders").get()).isEqualTo(4);
        assertThat(created.replicationFactor("orders").get()).isEqualTo(1);
        assertThat(created.topicId("orders").get()).isNotEqualTo(Uuid.ZERO_UUID);
        // -1 partitions means the broker default num.partitions (1).
        assertThat(created.numPartitions("plain").get()).isEqualTo(1);
        Config createdConfig = created.config("orders").get();
        assertThat(createdConfig.get("retention.ms").value()).isEqualTo("3600000");
        assertThat(createdConfig.get("cleanup.policy").value()).isEqualTo("compact");

        Map<String, TopicDescription> described = admin.describeTopics(List.of("orders", "plain"))
                .allTopicNames().get(T, TimeUnit.SECONDS);
        TopicDescription orders = described.get("orders");
        assertThat(orders.name()).isEqualTo("orders");
        assertThat(orders.isInternal()).isFalse();
        assertThat(orders.topicId()).isNotEqualTo(Uuid.ZERO_UUID).isEqualTo(created.topicId("orders").get());
        assertThat(orders.partitions()).hasSize(4);
        for (int p = 0; p < 4; p++) {
            TopicPartitionInfo info = orders.partitions().get(p);
            assertThat(info.partition()).isEqualTo(p);
            assertThat(info.leader()).isNotNull();
            assertThat(info.leader().isEmpty()).isFalse();
            assertThat(info.replicas()).containsExactly(info.leader());
            assertThat(info.isr()).containsExactly(info.leader());
        }
        TopicDescription plain = described.get("plain");
        assertThat(plain.partitions()).hasSize(1);
        assertThat(plain.topicId()).isNotEqualTo(Uuid.ZERO_UUID).isNotEqualTo(orders.topicId());

        assertThat(admin.listTopics().names().get(T, TimeUnit.SECONDS)).contains("orders", "plain");
        assertThat(admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(T, TimeUnit.SECONDS))
                .contains("orders", "plain");

        admin.deleteTopics(List.of("plain")).all().get(T, TimeUnit.SECONDS);
        assertThat(admin.listTopics().names().get(T, TimeUnit.SECONDS)).contains("orders").doesNotContain("plain");
        assertThatThrownBy(() -> admin.describeTopics(List.of("plain")).allTopicNames().get(T, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);

        // A deleted name can be created again, with a new id.
        CreateTopicsResult again = admin.createTopics(List.of(new NewTopic("plain", 2, (short) 1)));
        again.all().get(T, TimeUnit.SECONDS);
        assertThat(again.topicId("plain").get()).isNotEqualTo(plain.topicId()).isNotEqualTo(Uuid.ZERO_UUID);
        assertThat(admin.describeTopics(List.of("plain")).allTopicNames().get(T, TimeUnit.SECONDS)
                .get("plain").partitions()).hasSize(2);
    }

    @Test
    void describeConfigsReportsOverridesAsTopicConfigAndTheRestAsDefaults() throws Exception {
        admin.createTopics(List.of(new NewTopic("configured", 2, (short) 1).configs(Map.of(
                "retention.ms", "3600000",
                "cleanup.policy", "compact",
                "segment.bytes", "1048576")))).all().get(T, TimeUnit.SECONDS);
        admin.createTopics(List.of(new NewTopic("defaults", 1, (short) 1))).all().get(T, TimeUnit.SECONDS);

        ConfigResource configured = new ConfigResource(ConfigResource.Type.TOPIC, "configured");
        ConfigResource defaults = new ConfigResource(ConfigResource.Type.TOPIC, "defaults");
        Map<ConfigResource, Config> all = admin.describeConfigs(List.of(configured, defaults)).all().get(T, TimeUnit.SECONDS);

        Config c = all.get(configured);
        assertEntry(c, "retention.ms", "3600000", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertEntry(c, "cleanup.policy", "compact", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertEntry(c, "segment.bytes", "1048576", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        // Not set on the topic nor on the broker: Kafka's defaults.
        assertEntry(c, "retention.bytes", "-1", ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertEntry(c, "max.message.bytes", "1048588", ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(c.entries()).allSatisfy(e -> assertThat(e.isSensitive()).isFalse());

        Config d = all.get(defaults);
        assertEntry(d, "retention.ms", "604800000", ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertEntry(d, "cleanup.policy", "delete", ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertEntry(d, "segment.bytes", "1073741824", ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(d.entries()).noneMatch(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);

        // An unknown topic is an error for that resource only.
        ConfigResource missing = new ConfigResource(ConfigResource.Type.TOPIC, "no-such-topic");
        assertThatThrownBy(() -> admin.describeConfigs(List.of(missing)).all().get(T, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void listOffsetsEarliestLatestMaxTimestampAndByTimestamp() throws Exception {
        String topic = "timestamps";
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(T, TimeUnit.SECONDS);
        TopicPartition tp = new TopicPartition(topic, 0);

        // Empty partition: earliest = latest = 0.
        assertThat(offset(tp, OffsetSpec.earliest())).isEqualTo(0);
        assertThat(offset(tp, OffsetSpec.latest())).isEqualTo(0);

        // Offsets 0..5, one batch each; the largest timestamp is not the last one.
        long[] timestamps = {1_000, 2_000, 3_000, 9_000, 4_000, 5_000};
        try (KafkaProducer<String, String> producer = ItClients.producer(broker.bootstrapServers(),
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 0))) {
            for (int i = 0; i < timestamps.length; i++) {
                long offset = producer.send(new ProducerRecord<>(topic, 0, timestamps[i], "k" + i, "v" + i))
                        .get(T, TimeUnit.SECONDS).offset();
                assertThat(offset).isEqualTo(i);
            }
        }
        assertThat(offset(tp, OffsetSpec.earliest())).isEqualTo(0);
        assertThat(offset(tp, OffsetSpec.latest())).isEqualTo(6);

        ListOffsetsResultInfo max = info(tp, OffsetSpec.maxTimestamp());
        assertThat(max.offset()).isEqualTo(3);
        assertThat(max.timestamp()).isEqualTo(9_000);

        ListOffsetsResultInfo exact = info(tp, OffsetSpec.forTimestamp(3_000));
        assertThat(exact.offset()).isEqualTo(2);
        assertThat(exact.timestamp()).isEqualTo(3_000);
        ListOffsetsResultInfo between = info(tp, OffsetSpec.forTimestamp(2_500));
        assertThat(between.offset()).isEqualTo(2);
        assertThat(between.timestamp()).isEqualTo(3_000);
        // The first offset whose timestamp is at least 4,500 is offset 3 (9,000), not offset 5 (5,000).
        ListOffsetsResultInfo afterMax = info(tp, OffsetSpec.forTimestamp(4_500));
        assertThat(afterMax.offset()).isEqualTo(3);
        assertThat(afterMax.timestamp()).isEqualTo(9_000);
        assertThat(info(tp, OffsetSpec.forTimestamp(0)).offset()).isEqualTo(0);
        // Nothing that late: Kafka answers offset -1.
        assertThat(info(tp, OffsetSpec.forTimestamp(10_000)).offset()).isEqualTo(-1);
    }

    @Test
    void listOffsetsByTimestampInsideOneBatch() throws Exception {
        String topic = "timestamps-batched";
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(T, TimeUnit.SECONDS);
        TopicPartition tp = new TopicPartition(topic, 0);
        // One batch (long linger, one flush) holding offsets 0..3.
        try (KafkaProducer<String, String> producer = ItClients.producer(broker.bootstrapServers(),
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 1_000))) {
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>(topic, 0, 10_000L + i * 1_000L, "k", "v" + i));
            }
            producer.flush();
        }
        assertThat(offset(tp, OffsetSpec.latest())).isEqualTo(4);
        ListOffsetsResultInfo mid = info(tp, OffsetSpec.forTimestamp(11_500));
        assertThat(mid.offset()).isEqualTo(2);
        assertThat(mid.timestamp()).isEqualTo(12_000);
        ListOffsetsResultInfo max = info(tp, OffsetSpec.maxTimestamp());
        assertThat(max.offset()).isEqualTo(3);
        assertThat(max.timestamp()).isEqualTo(13_000);
    }

    @Test
    void describeClusterShowsOneNodeAndAClusterIdThatSurvivesRestart() throws Exception {
        DescribeClusterResult cluster = admin.describeCluster();
        String clusterId = cluster.clusterId().get(T, TimeUnit.SECONDS);
        assertThat(clusterId).isNotBlank();
        Node controller = cluster.controller().get(T, TimeUnit.SECONDS);
        assertThat(cluster.nodes().get(T, TimeUnit.SECONDS)).hasSize(1)
                .allSatisfy(n -> {
                    assertThat(n.host()).isEqualTo("127.0.0.1");
                    assertThat(n.port()).isEqualTo(broker.port());
                });
        assertThat(controller).isNotNull();
        admin.close();
        admin = null;

        broker.restart();
        admin = ItClients.admin(broker.bootstrapServers());
        assertThat(admin.describeCluster().clusterId().get(T, TimeUnit.SECONDS)).isEqualTo(clusterId);
    }

    @Test
    void errorsAreKafkasErrors() throws Exception {
        admin.createTopics(List.of(new NewTopic("exists", 1, (short) 1))).all().get(T, TimeUnit.SECONDS);

        assertCreateFails(new NewTopic("exists", 1, (short) 1), TopicExistsException.class);
        assertCreateFails(new NewTopic("replicated", 1, (short) 3), InvalidReplicationFactorException.class);
        assertCreateFails(new NewTopic("bad*name", 1, (short) 1), InvalidTopicException.class);
        assertCreateFails(new NewTopic("has space", 1, (short) 1), InvalidTopicException.class);
        assertCreateFails(new NewTopic("x".repeat(250), 1, (short) 1), InvalidTopicException.class);
        assertCreateFails(new NewTopic("bad-retention", 1, (short) 1).configs(Map.of("retention.ms", "soon")),
                InvalidConfigurationException.class);
        assertCreateFails(new NewTopic("bad-policy", 1, (short) 1).configs(Map.of("cleanup.policy", "shred")),
                InvalidConfigurationException.class);

        assertThatThrownBy(() -> admin.deleteTopics(List.of("never-created")).all().get(T, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);

        // None of the refused topics exists afterwards; the existing one is untouched.
        Set<String> names = admin.listTopics().names().get(T, TimeUnit.SECONDS);
        assertThat(names).contains("exists")
                .doesNotContain("replicated", "bad*name", "has space", "bad-retention", "bad-policy");
        assertThat(admin.describeTopics(List.of("exists")).allTopicNames().get(T, TimeUnit.SECONDS)
                .get("exists").partitions()).hasSize(1);
    }

    private void assertCreateFails(NewTopic topic, Class<? extends Throwable> expected) {
        assertThatThrownBy(() -> admin.createTopics(List.of(topic)).all().get(T, TimeUnit.SECONDS))
                .as("creating %s", topic.name())
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(expected);
    }

    private long offset(TopicPartition tp, OffsetSpec spec) throws Exception {
        return info(tp, spec).offset();
    }

    private ListOffsetsResultInfo info(TopicPartition tp, OffsetSpec spec) throws Exception {
        return admin.listOffsets(Map.of(tp, spec)).partitionResult(tp).get(T, TimeUnit.SECONDS);
    }

    private static void assertEntry(Config config, String name, String value, ConfigEntry.ConfigSource source) {
        ConfigEntry entry = config.get(name);
        assertThat(entry).as("config %s", name).isNotNull();
        assertThat(entry.value()).as("value of %s", name).isEqualTo(value);
        assertThat(entry.source()).as("source of %s", name).isEqualTo(source);
    }
}
