package io.tributary.server;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transactions across members: the partitions a transaction writes, its group's __consumer_offsets partition and
 * its own __transaction_state partition are led by different members of a three-member cluster. The leaders ask
 * the coordinator on its member whether a produce belongs to the open transaction, and the coordinator writes the
 * markers through each partition's leader, so read_committed consumers see exactly the committed records and the
 * transaction's offsets count only when it commits.
 */
class ClusterTransactionsIT {

    private static final String TOPIC = "ledger";
    private static final String GROUP = "ledger-reader";
    /** The topic whose consumed offsets the transactions commit (a consume-transform-produce loop's input). */
    private static final String SOURCE = "payments";
    private static final int PARTITIONS = 3;
    private static final int TRANSACTIONS = 8;
    private static final int RECORDS_PER_TRANSACTION = 30;

    @TempDir
    Path root;

    private final List<ChildBroker> members = new ArrayList<>();

    @AfterEach
    void killAll() throws InterruptedException {
        for (ChildBroker member : members) {
            member.kill();
        }
        ClusterLogs.keep(root, "ClusterTransactionsIT");
    }

    @Test
    void committedRecordsAndOffsetsOnlyWhenLeadersAreOnOtherMembers() throws Exception {
        List<Integer> clusterPorts = ClusterTestSupport.clusterPorts(3);
        for (int id = 1; id <= 3; id++) {
            members.add(ClusterTestSupport.loopbackMember(root, id, clusterPorts));
        }
        ClusterTestSupport.startInParallel(members);
        String bootstrap = ClusterTestSupport.bootstrap(members);

        try (Admin admin = ClusterTestSupport.admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3), new NewTopic(SOURCE, 1, (short) 3)))
                    .all().get(60, TimeUnit.SECONDS);
            ClusterTestSupport.awaitTrue("a leader for every partition", 60, () -> leaders(admin).size() == PARTITIONS);
            // The placement spreads leadership: the transaction's partitions are led by more than one member.
            assertThat(new HashSet<>(leaders(admin))).hasSizeGreaterThan(1);

            Set<String> committed = new HashSet<>();
            KafkaProducer<String, String> producer = transactionalProducer(bootstrap);
            try {
                producer.initTransactions();
                for (int t = 0; t < TRANSACTIONS; t++) {
                    boolean commit = t % 2 == 0;
                    producer.beginTransaction();
                    List<String> values = new ArrayList<>();
                    for (int i = 0; i < RECORDS_PER_TRANSACTION; i++) {
                        String value = "t" + t + "-" + i;
                        values.add(value);
                        producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, value, value));
                    }
                    producer.sendOffsetsToTransaction(
                            Map.of(new TopicPartition(SOURCE, 0), new OffsetAndMetadata(t + 1)),
                            new org.apache.kafka.clients.consumer.ConsumerGroupMetadata(GROUP));
                    if (commit) {
                        producer.commitTransaction();
                        committed.addAll(values);
                    } else {
                        producer.abortTransaction();
                    }
                }
            } finally {
                // Bounded: a producer whose transaction failed would otherwise wait for it in close().
                producer.close(Duration.ofSeconds(10));
            }

            assertThat(readCommitted(bootstrap, committed)).containsExactlyInAnyOrderElementsOf(committed);
            // The last committed transaction (t = 6) stored offset 7; the aborted t = 7's offset 8 was dropped.
            awaitGroupOffset(admin, TRANSACTIONS - 1);

            // The transaction coordinator's member dies: its state was on the other replicas before it answered,
            // so the next coordinator fences the old producer and serves a new one with the same id.
            int coordinator = leaderOf(admin, "__transaction_state", 0);
            members.get(coordinator - 1).kill();
            KafkaProducer<String, String> successor = transactionalProducer(bootstrap);
            try {
                successor.initTransactions();
                successor.beginTransaction();
                for (int i = 0; i < RECORDS_PER_TRANSACTION; i++) {
                    String value = "after-" + i;
                    successor.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, value, value));
                    committed.add(value);
                }
                successor.sendOffsetsToTransaction(Map.of(new TopicPartition(SOURCE, 0), new OffsetAndMetadata(100)),
                        new org.apache.kafka.clients.consumer.ConsumerGroupMetadata(GROUP));
                successor.commitTransaction();
            } finally {
                successor.close(Duration.ofSeconds(10));
            }
            assertThat(readCommitted(bootstrap, committed)).containsExactlyInAnyOrderElementsOf(committed);
            awaitGroupOffset(admin, 100);
        }
    }

    private static void awaitGroupOffset(Admin admin, long offset) throws Exception {
        ClusterTestSupport.awaitTrue("group offset " + offset, 30, () -> {
            OffsetAndMetadata stored = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(new TopicPartition(SOURCE, 0));
            return stored != null && stored.offset() == offset;
        });
    }

    private static int leaderOf(Admin admin, String topic, int partition) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
        return d.partitions().get(partition).leader().id();
    }

    private static List<Integer> leaders(Admin admin) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC);
        return d.partitions().stream().map(TopicPartitionInfo::leader).filter(java.util.Objects::nonNull)
                .map(n -> n.id()).collect(Collectors.toList());
    }

    private static KafkaProducer<String, String> transactionalProducer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "ledger-writer");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** What a read_committed consumer sees from the start, read until it has {@code expected} (60 s at most). */
    private static List<String> readCommitted(String bootstrap, Set<String> expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(TOPIC, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // Markers are written after commitTransaction returns: the last transaction becomes readable soon after.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && !new HashSet<>(values).containsAll(expected)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
