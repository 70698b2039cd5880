package io.tributary.server;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three broker JVMs on loopback form one cluster (TCP-IP join, their own ports and data dirs). A topic with
 * replication factor 3 and min.insync.replicas 2 takes acks=all writes while the leader of a partition is killed
 * with SIGKILL: the producer carries on, a consumer group keeps consuming, and every acknowledged record is on the
 * new leader at its offset, in order. The killed member comes back and rejoins the ISR; the controller is killed
 * and another member takes over; a full-cluster stop and start keeps every topic and record, and a topic deleted
 * while a member was down stays deleted.
 */
class ClusterFailoverIT {

    private static final String TOPIC = "orders";
    /** Deleted while one member is down; that member's copy must not bring it back. */
    private static final String DOOMED = "doomed";
    private static final int PARTITIONS = 3;
    private static final int NODES = 3;

    @TempDir
    Path root;

    private final List<ChildBroker> brokers = new ArrayList<>();

    private record Acked(int partition, long offset, String value) {
    }

    @AfterEach
    void killAll() throws InterruptedException {
        for (ChildBroker broker : brokers) {
            broker.kill();
        }
        ClusterLogs.keep(root, "ClusterFailoverIT");
    }

    @Test
    void survivesLeaderAndControllerLossAndFullRestart() throws Exception {
        startCluster();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")), new NewTopic(DOOMED, 1, (short) 3)))
                    .all().get(60, TimeUnit.SECONDS);
            awaitFullIsr(admin, TOPIC, NODES);

            Map<TopicPartition, List<Acked>> acked = new ConcurrentHashMap<>();
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicLong ackedCount = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Future<?> producer = pool.submit(() -> produce(producing, acked, ackedCount));
            Set<String> consumed = ConcurrentHashMap.newKeySet();
            AtomicBoolean consuming = new AtomicBoolean(true);
            Future<?> groupConsumer = pool.submit(() -> consumeInGroup(consuming, consumed));

            awaitCount(ackedCount, 300, 60);
            int leader = leaderOf(admin, new TopicPartition(TOPIC, 0));
            ChildBroker victim = brokers.get(leader - 1);
            victim.kill();
            // Batches already in flight to other partitions are acknowledged at once: count only after the election.
            ClusterTestSupport.awaitTrue("another leader of " + TOPIC + "-0", 60, () -> {
                Integer now = leaderOrNull(admin, new TopicPartition(TOPIC, 0));
                return now != null && now != leader;
            });
            awaitCount(ackedCount, ackedCount.get() + 500, 90);
            producing.set(false);
            producer.get(120, TimeUnit.SECONDS);

            // The group kept consuming across the failover: it saw records acknowledged after the kill.
            String lastAcked = acked.values().stream().flatMap(List::stream)
                    .max((a, b) -> Long.compare(Long.parseLong(a.value()), Long.parseLong(b.value()))).orElseThrow()
                    .value();
            awaitContains(consumed, lastAcked, 90);
            consuming.set(false);
            groupConsumer.get(60, TimeUnit.SECONDS);

            assertEveryAckedRecordPresent(acked);

            // The killed member returns, catches up and is back in every ISR.
            victim.start();
            awaitFullIsr(admin, TOPIC, NODES);

            // The controller dies; another member takes over and serves metadata changes, among them a deletion
            // the dead member does not hear of.
            int controller = admin.describeCluster().controller().get(30, TimeUnit.SECONDS).id();
            brokers.get(controller - 1).kill();
            admin.createTopics(List.of(new NewTopic("after-controller-loss", 2, (short) 2)))
                    .all().get(90, TimeUnit.SECONDS);
            admin.deleteTopics(List.of(DOOMED)).all().get(90, TimeUnit.SECONDS);
            assertThat(admin.describeCluster().controller().get(30, TimeUnit.SECONDS).id()).isNotEqualTo(controller);
            pool.shutdownNow();

            // Full-cluster stop and start, the dead member among them with its stale copy of the metadata: topics,
            // their replicas and every record are still there, and the deleted topic stays deleted.
            for (ChildBroker broker : brokers) {
                broker.stop();
            }
            startAll();
            try (Admin afterRestart = admin()) {
                assertThat(afterRestart.listTopics().names().get(60, TimeUnit.SECONDS))
                        .contains(TOPIC, "after-controller-loss").doesNotContain(DOOMED);
                awaitFullIsr(afterRestart, TOPIC, NODES);
                assertThat(afterRestart.listTopics().names().get(60, TimeUnit.SECONDS)).doesNotContain(DOOMED);
            }
            assertEveryAckedRecordPresent(acked);
        }
    }

    private void startCluster() throws Exception {
        List<Integer> clusterPorts = ClusterTestSupport.clusterPorts(NODES);
        for (int i = 1; i <= NODES; i++) {
            brokers.add(ClusterTestSupport.loopbackMember(root, i, clusterPorts));
        }
        startAll();
    }

    private void startAll() throws Exception {
        ClusterTestSupport.startInParallel(brokers);
    }

    private String bootstrap() {
        return brokers.stream().map(ChildBroker::bootstrap).collect(Collectors.joining(","));
    }

    private Admin admin() {
        return ClusterTestSupport.admin(bootstrap());
    }

    private void produce(AtomicBoolean running, Map<TopicPartition, List<Acked>> acked, AtomicLong count) {
        try (KafkaProducer<String, String> producer = ClusterTestSupport.failoverProducer(bootstrap())) {
            long seq = 0;
            while (running.get()) {
                String value = String.valueOf(seq++);
                producer.send(new ProducerRecord<>(TOPIC, value, value), (metadata, error) -> {
                    if (error == null) {
                        acked.computeIfAbsent(new TopicPartition(TOPIC, metadata.partition()),
                                        tp -> java.util.Collections.synchronizedList(new ArrayList<>()))
                                .add(new Acked(metadata.partition(), metadata.offset(), value));
                        count.incrementAndGet();
                    }
                });
                if (seq % 50 == 0) {
                    Thread.sleep(10);
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void consumeInGroup(AtomicBoolean running, Set<String> consumed) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "failover-group");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 2_000);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            while (running.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    consumed.add(record.value());
                }
            }
        }
    }

    /** Reads every partition from the start and checks each acknowledged record at its offset, in order. */
    private void assertEveryAckedRecordPresent(Map<TopicPartition, List<Acked>> acked) {
        for (Map.Entry<TopicPartition, List<Acked>> entry : acked.entrySet()) {
            List<Acked> expected = new ArrayList<>(entry.getValue());
            expected.sort((a, b) -> Long.compare(a.offset(), b.offset()));
            Map<Long, String> stored = ClusterTestSupport.readPartition(bootstrap(), entry.getKey(),
                    expected.get(expected.size() - 1).offset());
            long previous = -1;
            for (Acked a : expected) {
                assertThat(stored.get(a.offset())).as("%s offset %d", entry.getKey(), a.offset()).isEqualTo(a.value());
                // Per partition, acknowledged values grow with offsets: the log kept the producer's order.
                assertThat(Long.parseLong(a.value())).isGreaterThan(previous);
                previous = Long.parseLong(a.value());
            }
        }
    }

    private static int leaderOf(Admin admin, TopicPartition tp) throws Exception {
        Integer leader = leaderOrNull(admin, tp);
        assertThat(leader).as("leader of %s", tp).isNotNull();
        return leader;
    }

    /** The partition's leader, or null while it has none (between a leader's death and the election). */
    private static Integer leaderOrNull(Admin admin, TopicPartition tp) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(tp.topic())).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(tp.topic());
        Node leader = description.partitions().get(tp.partition()).leader();
        return leader == null ? null : leader.id();
    }

    private static void awaitFullIsr(Admin admin, String topic, int size) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get(topic);
                boolean full = true;
                for (TopicPartitionInfo p : d.partitions()) {
                    full &= p.leader() != null && p.isr().size() == size;
                }
                last = d.toString();
                if (full) {
                    return;
                }
            } catch (java.util.concurrent.ExecutionException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("ISR of " + topic + " did not reach " + size + " replicas: " + last);
    }

    private static void awaitCount(AtomicLong count, long target, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (count.get() < target && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(count.get()).as("acknowledged records").isGreaterThanOrEqualTo(target);
    }

    private static void awaitContains(Set<String> set, String value, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!set.contains(value) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(set).as("records the group consumed").contains(value);
    }
}
