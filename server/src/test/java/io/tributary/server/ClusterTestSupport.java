package io.tributary.server;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** What the multi-JVM cluster tests share: starting members together, an Admin client, reading a partition back. */
final class ClusterTestSupport {

    private ClusterTestSupport() {
    }

    /** Starts every member at once (each waits for the others before placing the internal topics). */
    static void startInParallel(List<ChildBroker> members) throws Exception {
        ExecutorService starter = Executors.newFixedThreadPool(members.size());
        try {
            List<Future<Integer>> starts = new ArrayList<>();
            for (ChildBroker member : members) {
                starts.add(starter.submit(member::start));
            }
            for (Future<Integer> start : starts) {
                start.get(150, TimeUnit.SECONDS);
            }
        } finally {
            starter.shutdownNow();
        }
    }

    /** Hazelcast ports for a loopback cluster of {@code nodes} members. */
    static List<Integer> clusterPorts(int nodes) throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            ports.add(ChildBroker.freePort());
        }
        return ports;
    }

    /**
     * Member {@code nodeId} (1-based) of a loopback cluster joined through {@code clusterPorts}, with replication
     * factor 3 by default, failure detection in 4 s, its own data and log dirs under {@code root} and a Kafka port
     * kept across restarts.
     */
    static ChildBroker loopbackMember(Path root, int nodeId, List<Integer> clusterPorts) throws Exception {
        String join = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        Map<String, String> overrides = new HashMap<>();
        overrides.put("node.id", String.valueOf(nodeId));
        overrides.put("cluster.port", String.valueOf(clusterPorts.get(nodeId - 1)));
        overrides.put("cluster.join", join);
        overrides.put("cluster.failure.detection.ms", "4000");
        overrides.put("replica.lag.time.max.ms", "10000");
        overrides.put("default.replication.factor", "3");
        Path dir = root.resolve("node-" + nodeId);
        Files.createDirectories(dir.resolve("logs"));
        return new ChildBroker(dir.resolve("data"), dir.resolve("logs"), overrides)
                .withFixedPort(ChildBroker.freePort());
    }

    static String bootstrap(List<ChildBroker> members) {
        return members.stream().map(ChildBroker::bootstrap).collect(Collectors.joining(","));
    }

    /**
     * An idempotent acks=all producer that rides out a leader's death: a short metadata age (new leaders are found
     * fast) and a delivery timeout long enough for an election.
     */
    static KafkaProducer<String, String> failoverProducer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        props.put(ProducerConfig.METADATA_MAX_AGE_CONFIG, 2_000);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    static Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(props);
    }

    /** Every record of {@code tp} from the log start, by offset, read until {@code lastOffset} is seen (60 s). */
    static Map<Long, String> readPartition(String bootstrap, TopicPartition tp, long lastOffset) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("enable.auto.commit", false);
        Map<Long, String> stored = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!stored.containsKey(lastOffset) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    stored.put(r.offset(), r.value());
                }
            }
        }
        return stored;
    }

    interface Check {
        boolean holds() throws Exception;
    }

    /** Waits until {@code check} holds; fails after {@code seconds} with the last exception it threw, if any. */
    static void awaitTrue(String what, int seconds, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(what + " not reached within " + seconds + " s", last);
    }
}
