package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** What survives a clean restart, and how topics come into being when a client names an unknown one. */
class RestartIT {

    private static final long T = 30;

    @TempDir
    Path dataDir;

    /** A record the producer had acknowledged, where it said the record went. */
    private record Acked(int partition, long offset, String key, String value) {
    }

    @Test
    void recordsTopicIdsAndConfigsSurviveARestart() throws Exception {
        String topic = "durable";
        int partitions = 3;
        Map<String, String> configs = Map.of(
                "retention.ms", "123456789",
                "cleanup.policy", "delete",
                // Small segments so the data spans several segment files.
                "segment.bytes", "2048");
        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir)) {
            Uuid topicId;
            List<Acked> acked;
            try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs)))
                        .all().get(T, TimeUnit.SECONDS);
                topicId = describe(admin, topic).topicId();
            }
            acked = produce(broker.bootstrapServers(), topic, 0, 300);
            assertAllPresent(broker.bootstrapServers(), topic, partitions, acked);

            broker.restart();

            try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
                TopicDescription after = describe(admin, topic);
                assertThat(after.topicId()).as("topic id after restart").isEqualTo(topicId);
                assertThat(after.partitions()).hasSize(partitions);
                Config config = topicConfig(admin, topic);
                configs.forEach((name, value) -> {
                    assertThat(config.get(name).value()).as(name).isEqualTo(value);
                    assertThat(config.get(name).source()).as("source of " + name)
                            .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
                });
            }
            assertAllPresent(broker.bootstrapServers(), topic, partitions, acked);

            // Appends continue right after the last offset of each partition.
            Map<Integer, Long> endBefore = new HashMap<>();
            for (Acked a : acked) {
                endBefore.merge(a.partition(), a.offset() + 1, Math::max);
            }
            List<Acked> more = produce(broker.bootstrapServers(), topic, 300, 60);
            Map<Integer, Long> firstAfter = new HashMap<>();
            for (Acked a : more) {
                firstAfter.merge(a.partition(), a.offset(), Math::min);
            }
            firstAfter.forEach((p, first) ->
                    assertThat(first).as("first offset after restart in partition %d", p)
                            .isEqualTo(endBefore.getOrDefault(p, 0L)));

            // And a second restart keeps everything, old and new.
            broker.restart();
            List<Acked> all = new ArrayList<>(acked);
            all.addAll(more);
            assertAllPresent(broker.bootstrapServers(), topic, partitions, all);
        }
    }

    @Test
    void groupsMapToTheExistingOffsetsTopicWhenItsConfiguredPartitionCountChanges() throws Exception {
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            groups.add("moved-" + i);
        }
        // At least one group's partition differs between 3 and 7 partitions, or the test would prove nothing.
        assertThat(groups).anySatisfy(g ->
                assertThat(Math.abs(g.hashCode()) % 3).isNotEqualTo(Math.abs(g.hashCode()) % 7));
        TopicPartition tp = new TopicPartition("positions", 0);
        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, Map.of("offsets.topic.num.partitions", "3"))) {
            try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
                admin.createTopics(List.of(new NewTopic(tp.topic(), 1, (short) 1))).all().get(T, TimeUnit.SECONDS);
                for (int i = 0; i < groups.size(); i++) {
                    admin.alterConsumerGroupOffsets(groups.get(i), Map.of(tp, new OffsetAndMetadata(100 + i)))
                            .all().get(T, TimeUnit.SECONDS);
                }
            }
        }

        // offsets.topic.num.partitions only applies when the topic is created: groups stay where they are.
        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, Map.of("offsets.topic.num.partitions", "7"));
             Admin admin = ItClients.admin(broker.bootstrapServers())) {
            assertThat(describe(admin, "__consumer_offsets").partitions()).hasSize(3);
            for (int i = 0; i < groups.size(); i++) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groups.get(i))
                        .partitionsToOffsetAndMetadata().get(T, TimeUnit.SECONDS);
                assertThat(committed).as(groups.get(i)).containsEntry(tp, new OffsetAndMetadata(100 + i));
            }
        }
    }

    @Test
    void autoCreatedTopicsGetNumPartitions() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, Map.of("num.partitions", "3"))) {
            RecordMetadata md;
            try (KafkaProducer<String, String> producer = ItClients.producer(broker.bootstrapServers())) {
                md = producer.send(new ProducerRecord<>("auto-made", "k", "v")).get(T, TimeUnit.SECONDS);
            }
            assertThat(md.offset()).isEqualTo(0);
            try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
                TopicDescription description = describe(admin, "auto-made");
                assertThat(description.partitions()).hasSize(3);
                assertThat(description.topicId()).isNotEqualTo(Uuid.ZERO_UUID);
            }
            List<ConsumerRecord<String, String>> read = ItClients.readAll(broker.bootstrapServers(), "auto-made", 3, 1);
            assertThat(read).hasSize(1);
            assertThat(read.get(0).value()).isEqualTo("v");
            assertThat(read.get(0).partition()).isEqualTo(md.partition());

            broker.restart();
            try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
                assertThat(describe(admin, "auto-made").partitions()).hasSize(3);
            }
        }
    }

    @Test
    void withAutoCreateDisabledProducingToAnUnknownTopicFails() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, Map.of("auto.create.topics.enable", "false"))) {
            try (KafkaProducer<String, String> producer = ItClients.producer(broker.bootstrapServers(),
                    Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000))) {
                Throwable failure = null;
                try {
                    Future<RecordMetadata> f = producer.send(new ProducerRecord<>("not-there", "k", "v"));
                    f.get(T, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    failure = e.getCause();
                } catch (TimeoutException | UnknownTopicOrPartitionException e) {
                    failure = e;
                }
                if (failure == null) {
                    fail("producing to an unknown topic succeeded with auto.create.topics.enable=false");
                }
                assertThat(failure).isInstanceOfAny(TimeoutException.class, UnknownTopicOrPartitionException.class);
            }
            try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
                assertThat(admin.listTopics().names().get(T, TimeUnit.SECONDS)).doesNotContain("not-there");
                // Explicit creation still works.
                admin.createTopics(List.of(new NewTopic("made-on-purpose", 1, (short) 1))).all().get(T, TimeUnit.SECONDS);
            }
            ItClients.assertProduceAndConsumeWork(broker.bootstrapServers(), "made-on-purpose");
        }
    }

    private static List<Acked> produce(String bootstrap, String topic, int from, int count) throws Exception {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (KafkaProducer<String, String> producer = ItClients.producer(bootstrap,
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 2, ProducerConfig.BATCH_SIZE_CONFIG, 512))) {
            for (int i = from; i < from + count; i++) {
                ProducerRecord<String, String> r = new ProducerRecord<>(topic, "key-" + (i % 11), "value-" + i);
                records.add(r);
                futures.add(producer.send(r));
            }
            producer.flush();
        }
        List<Acked> acked = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordMetadata md = futures.get(i).get(T, TimeUnit.SECONDS);
            acked.add(new Acked(md.partition(), md.offset(), records.get(i).key(), records.get(i).value()));
        }
        return acked;
    }

    private static void assertAllPresent(String bootstrap, String topic, int partitions, List<Acked> acked) {
        List<ConsumerRecord<String, String>> read = ItClients.readToEnd(bootstrap, topic, partitions);
        assertThat(read).as("records read").hasSize(acked.size());
        Map<TopicPartition, Map<Long, ConsumerRecord<String, String>>> byOffset = new HashMap<>();
        for (ConsumerRecord<String, String> r : read) {
            byOffset.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new HashMap<>())
                    .put(r.offset(), r);
        }
        for (Acked a : acked) {
            ConsumerRecord<String, String> r = byOffset.getOrDefault(new TopicPartition(topic, a.partition()), Map.of())
                    .get(a.offset());
            assertThat(r).as("record at %d/%d", a.partition(), a.offset()).isNotNull();
            assertThat(r.key()).isEqualTo(a.key());
            assertThat(r.value()).isEqualTo(a.value());
        }
    }

    private static TopicDescription describe(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(T, TimeUnit.SECONDS).get(topic);
    }

    private static Config topicConfig(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(T, TimeUnit.SECONDS).get(resource);
    }
}
