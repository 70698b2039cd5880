package io.tributary.server;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Three members on three hosts (network namespaces joined by a bridge). The leader of a partition with RF=3 and
 * min.insync.replicas=2 is cut off from the others: on its side it can no longer acknowledge an acks=all write,
 * while the other two elect a new leader and keep acknowledging. When the link comes back the cut-off member
 * rejoins, truncates what it alone had, catches up and is in the ISR again; every acknowledged record is there.
 * Needs root and iproute2 (CI runs as root); skipped otherwise.
 */
class ClusterNetworkSplitIT {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNetworkSplitIT.class);
    private static final String TOPIC = "split";
    private static final int KAFKA_PORT = 9092;
    private static final int CLUSTER_PORT = 5701;

    @TempDir
    Path root;

    private NetworkNamespaces net;
    private final List<ChildBroker> brokers = new ArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        for (ChildBroker broker : brokers) {
            broker.kill();
        }
        ClusterLogs.keep(root, "ClusterNetworkSplitIT");
        if (net != null) {
            net.close();
        }
    }

    @Test
    void aCutOffLeaderStopsAcknowledgingAndRejoinsWithoutLosingAnything() throws Exception {
        assumeTrue(NetworkNamespaces.available(), "network namespaces need root and iproute2");
        net = NetworkNamespaces.create("trs", 3);
        String join = IntStream.rangeClosed(1, 3).mapToObj(i -> NetworkNamespaces.address(i) + ":" + CLUSTER_PORT)
                .collect(Collectors.joining(","));
        for (int i = 1; i <= 3; i++) {
            Map<String, String> overrides = new HashMap<>();
            overrides.put("node.id", String.valueOf(i));
            overrides.put("cluster.host", NetworkNamespaces.address(i));
            overrides.put("cluster.port", String.valueOf(CLUSTER_PORT));
            overrides.put("cluster.join", join);
            overrides.put("cluster.failure.detection.ms", "4000");
            overrides.put("replica.lag.time.max.ms", "6000");
            overrides.put("default.replication.factor", "3");
            Path dir = root.resolve("node-" + i);
            Files.createDirectories(dir.resolve("logs"));
            brokers.add(new ChildBroker(dir.resolve("data"), dir.resolve("logs"), overrides)
                    .inNamespace(net.namespace(i), NetworkNamespaces.address(i)).withFixedPort(KAFKA_PORT));
        }
        ClusterTestSupport.startInParallel(brokers);

        Map<Long, String> acked = new HashMap<>();
        try (Admin admin = admin(bootstrap(List.of(1, 2, 3)))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                    .all().get(60, TimeUnit.SECONDS);
            awaitIsr(admin, 3);
            int leader = describe(admin).partitions().get(0).leader().id();
            assertThat(leader).as("the first leader is the preferred replica")
                    .isEqualTo(describe(admin).partitions().get(0).replicas().get(0).id());
            List<Integer> others = IntStream.rangeClosed(1, 3).filter(i -> i != leader).boxed().toList();
            produce(bootstrap(List.of(1, 2, 3)), "before", 100, acked);

            net.disconnect(leader);
            LOG.info("Cut off node {}", leader);

            // The majority elects a new leader and keeps acknowledging acks=all writes. The producer starts only
            // once both members say so: a Java client whose first metadata still names the cut-off leader keeps
            // connecting to it, and while a connection attempt is pending it asks for no new metadata (setup
            // timeouts grow to 30 s), so it may not learn of the new leader within its delivery timeout.
            for (int member : others) {
                awaitLeaderIn(member, others);
            }
            produce(bootstrap(others), "during", 100, acked);
            try (Admin majority = admin(bootstrap(others))) {
                assertThat(describe(majority).partitions().get(0).leader().id()).isIn(others);
            }

            // The cut-off member, reached from inside its own network, does not acknowledge an acks=all write.
            if (hasKcat()) {
                NetworkNamespaces.Result kcat = net.exec(leader, List.of("sh", "-c",
                        "echo cut-off | kcat -P -b " + NetworkNamespaces.address(leader) + ":" + KAFKA_PORT + " -t "
                                + TOPIC + " -p 0 -X acks=all -X message.timeout.ms=10000; echo exit=$?"), 60);
                LOG.info("kcat on the cut-off member: {}", kcat.output());
                assertThat(kcat.output()).containsAnyOf("Delivery failed", "NOT_ENOUGH_REPLICAS",
                        "Local: Message timed out", "exit=1");
            } else {
                LOG.warn("kcat is not installed: the write on the cut-off member's side is not tried");
            }

            net.reconnect(leader);
            LOG.info("Reconnected node {}", leader);
            awaitIsr(admin, 3);
            produce(bootstrap(List.of(1, 2, 3)), "after", 100, acked);

            // After Hazelcast's merge the event bus reaches the returned member again: once it leads the partition
            // (preferred election), another member's HTTP gateway appends through it.
            admin.electLeaders(ElectionType.PREFERRED, Set.of(new TopicPartition(TOPIC, 0))).partitions()
                    .get(30, TimeUnit.SECONDS);
            ClusterTestSupport.awaitTrue("node " + leader + " leading again", 60,
                    () -> describe(admin).partitions().get(0).leader().id() == leader);
            acked.put(appendOverHttp(others.get(0), "after-merge"), "\"after-merge\"");
        }

        Map<Long, String> stored = readAll(bootstrap(List.of(1, 2, 3)), acked.keySet().stream()
                .mapToLong(Long::longValue).max().orElseThrow());
        acked.forEach((offset, value) -> assertThat(stored.get(offset)).as("offset %d", offset).isEqualTo(value));
        assertThat(stored.values()).doesNotContain("cut-off");
    }

    /** POSTs one JSON record to partition 0 through member {@code via}'s HTTP gateway, from inside its namespace. */
    private long appendOverHttp(int via, String value) throws Exception {
        // The start-up line lists the gateway's HTTP listener before the connector runtime's.
        String startup = brokers.get(via - 1).output().lines().filter(l -> l.contains(" started: node "))
                .findFirst().orElse("");
        Matcher port = Pattern.compile("HTTP://127\\.0\\.0\\.1:(\\d+)").matcher(startup);
        assertThat(port.find()).as("node %d's HTTP listener in its start-up line", via).isTrue();
        NetworkNamespaces.Result post = net.exec(via, List.of("curl", "-sS", "-m", "60",
                "-H", "Content-Type: application/vnd.kafka.json.v2+json",
                "--data", "{\"records\":[{\"value\":\"" + value + "\"}]}",
                "http://127.0.0.1:" + port.group(1) + "/topics/" + TOPIC + "/partitions/0"), 90);
        LOG.info("HTTP append through node {}: {}", via, post.output());
        Matcher offset = Pattern.compile("\"offset\":(\\d+)").matcher(post.output());
        assertThat(offset.find()).as("an offset in %s", post.output()).isTrue();
        return Long.parseLong(offset.group(1));
    }

    private static boolean hasKcat() {
        try {
            return new ProcessBuilder("kcat", "-V").redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static String bootstrap(List<Integer> hosts) {
        return hosts.stream().map(i -> NetworkNamespaces.address(i) + ":" + KAFKA_PORT).collect(Collectors.joining(","));
    }

    /** Waits until member {@code member}, asked alone, names one of {@code leaders} as the partition's leader. */
    private static void awaitLeaderIn(int member, List<Integer> leaders) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            try (Admin alone = admin(bootstrap(List.of(member)))) {
                Node leader = describe(alone).partitions().get(0).leader();
                last = String.valueOf(leader);
                if (leader != null && leaders.contains(leader.id())) {
                    return;
                }
            } catch (Exception e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("node " + member + " did not name a leader among " + leaders + ": " + last);
    }

    private static Admin admin(String bootstrap) {
        return ClusterTestSupport.admin(bootstrap);
    }

    private static void produce(String bootstrap, String prefix, int count, Map<Long, String> acked)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        props.put(ProducerConfig.METADATA_MAX_AGE_CONFIG, 2_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sends.add(producer.send(new ProducerRecord<>(TOPIC, 0, null, prefix + "-" + i)));
            }
            for (int i = 0; i < count; i++) {
                acked.put(sends.get(i).get(150, TimeUnit.SECONDS).offset(), prefix + "-" + i);
            }
        }
    }

    private static Map<Long, String> readAll(String bootstrap, long last) {
        return ClusterTestSupport.readPartition(bootstrap, new TopicPartition(TOPIC, 0), last);
    }

    private static TopicDescription describe(Admin admin) throws Exception {
        return admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC);
    }

    private static void awaitIsr(Admin admin, int size) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription d = describe(admin);
                last = d.toString();
                if (d.partitions().get(0).leader() != null && d.partitions().get(0).isr().size() == size) {
                    return;
                }
            } catch (Exception e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("ISR did not reach " + size + ": " + last);
    }
}
