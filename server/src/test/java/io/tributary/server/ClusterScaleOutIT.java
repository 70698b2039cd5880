package io.tributary.server;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scaling out and operating a cluster while acks=all traffic flows: a fourth member joins and a partition is
 * reassigned onto it (AlterPartitionReassignments, as kafka-reassign-partitions does), leadership goes back to the
 * preferred replicas (ElectLeaders), a member is stopped with SIGTERM, which moves its leadership away first
 * (controlled shutdown), and then every member is restarted in turn (a rolling restart). The producer sees no error
 * but retriable ones and every acknowledged record is kept.
 */
class ClusterScaleOutIT {

    private static final String TOPIC = "scale";

    @TempDir
    Path root;

    private final List<ChildBroker> brokers = new ArrayList<>();
    private final List<Integer> clusterPorts = new ArrayList<>();

    @AfterEach
    void killAll() throws InterruptedException {
        for (ChildBroker broker : brokers) {
            broker.kill();
        }
        ClusterLogs.keep(root, "ClusterScaleOutIT");
    }

    @Test
    void addsAMemberReassignsOntoItAndRestartsEveryMemberGracefully() throws Exception {
        for (int i = 0; i < 4; i++) {
            clusterPorts.add(ChildBroker.freePort());
        }
        for (int i = 1; i <= 4; i++) {
            brokers.add(member(i));
        }
        startInParallel(brokers.subList(0, 3));
        try (Admin admin = admin(brokers.subList(0, 3))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 2))).all().get(60, TimeUnit.SECONDS);
            Map<Integer, Map<Long, String>> acked = new ConcurrentHashMap<>();
            List<Throwable> fatal = new ArrayList<>();
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicLong count = new AtomicLong();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Future<?> producer = pool.submit(() -> produce(producing, acked, count, fatal));
            awaitCount(count, 200);

            // A fourth member joins; partition 0 moves onto it while records keep coming.
            brokers.get(3).start();
            awaitMembers(admin, 4);
            TopicPartition moved = new TopicPartition(TOPIC, 0);
            List<Integer> before = describe(admin).partitions().get(0).replicas().stream().map(Node::id).toList();
            List<Integer> target = List.of(4, before.get(0));
            admin.alterPartitionReassignments(Map.of(moved, Optional.of(new NewPartitionReassignment(target))))
                    .all().get(60, TimeUnit.SECONDS);
            awaitTrue(() -> admin.listPartitionReassignments().reassignments().get(30, TimeUnit.SECONDS).isEmpty()
                    && replicasOf(admin, 0).equals(Set.copyOf(target)) && isrOf(admin, 0).containsAll(target));
            long afterMove = count.get();
            awaitCount(count, afterMove + 200);

            // The new member leads nothing of the topic, yet its HTTP gateway appends through the leaders.
            long httpOffset = produceOverHttp(brokers.get(3), "via-http");

            // Leadership back to the preferred replicas (those not led by them already answer "not needed").
            admin.electLeaders(ElectionType.PREFERRED, null).partitions().get(60, TimeUnit.SECONDS);
            awaitTrue(() -> describe(admin).partitions().stream()
                    .allMatch(p -> p.leader() != null && p.leader().id() == p.replicas().get(0).id()));

            // Controlled shutdown of the leader of partition 1: leadership moves before it goes.
            int leader = describe(admin).partitions().get(1).leader().id();
            brokers.get(leader - 1).stop();
            assertThat(brokers.get(leader - 1).output()).contains("Controlled shutdown");
            long afterStop = count.get();
            awaitCount(count, afterStop + 200);

            // A rolling restart, as a StatefulSet does it: the stopped member returns, then every other member in
            // turn stops gracefully and comes back, the next one only once the returned one is in every ISR again.
            ChildBroker first = brokers.get(leader - 1);
            first.start();
            awaitTrue(() -> fullIsr(admin));
            for (ChildBroker member : brokers) {
                if (member == first) {
                    continue;
                }
                member.stop();
                long whileDown = count.get();
                awaitCount(count, whileDown + 100);
                member.start();
                awaitTrue(() -> fullIsr(admin));
            }
            long afterRestarts = count.get();
            awaitCount(count, afterRestarts + 200);

            producing.set(false);
            producer.get(120, TimeUnit.SECONDS);
            pool.shutdownNow();
            assertThat(fatal).as("non-retriable producer errors").isEmpty();
            assertAllPresent(acked);
            assertThat(ClusterTestSupport.readPartition(bootstrap(), new TopicPartition(TOPIC, 0), httpOffset)
                    .get(httpOffset)).isEqualTo("\"via-http\"");
        }
    }

    /** POSTs one JSON record to partition 0 through a member's HTTP gateway; returns its offset. */
    private static long produceOverHttp(ChildBroker member, String value) throws Exception {
        // The start-up line lists the gateway's HTTP listener before the connector runtime's.
        String startup = member.output().lines().filter(l -> l.contains(" started: node ")).findFirst().orElse("");
        Matcher m = Pattern.compile("HTTP://127\\.0\\.0\\.1:(\\d+)").matcher(startup);
        assertThat(m.find()).as("the member's HTTP listener in its start-up line").isTrue();
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(1)
                                + "/topics/" + TOPIC + "/partitions/0"))
                        .header("Content-Type", "application/vnd.kafka.json.v2+json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"records\":[{\"value\":\"" + value + "\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Matcher offset = Pattern.compile("\"offset\":(\\d+)").matcher(response.body());
        assertThat(offset.find()).as(response.body()).isTrue();
        return Long.parseLong(offset.group(1));
    }

    private ChildBroker member(int nodeId) throws Exception {
        return ClusterTestSupport.loopbackMember(root, nodeId, clusterPorts);
    }

    private static void startInParallel(List<ChildBroker> members) throws Exception {
        ClusterTestSupport.startInParallel(members);
    }

    private static Admin admin(List<ChildBroker> members) {
        return ClusterTestSupport.admin(members.stream().map(ChildBroker::bootstrap).collect(Collectors.joining(",")));
    }

    private String bootstrap() {
        return brokers.subList(0, 3).stream().map(ChildBroker::bootstrap).collect(Collectors.joining(","));
    }

    private void produce(AtomicBoolean running, Map<Integer, Map<Long, String>> acked, AtomicLong count,
                         List<Throwable> fatal) {
        try (KafkaProducer<String, String> producer = ClusterTestSupport.failoverProducer(bootstrap())) {
            long seq = 0;
            while (running.get()) {
                String value = String.valueOf(seq++);
                producer.send(new ProducerRecord<>(TOPIC, value, value), (metadata, error) -> {
                    if (error == null) {
                        acked.computeIfAbsent(metadata.partition(), p -> new ConcurrentHashMap<>())
                                .put(metadata.offset(), value);
                        count.incrementAndGet();
                    } else if (!(error instanceof RetriableException)) {
                        synchronized (fatal) {
                            fatal.add(error);
                        }
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

    private void assertAllPresent(Map<Integer, Map<Long, String>> acked) {
        for (Map.Entry<Integer, Map<Long, String>> entry : acked.entrySet()) {
            TopicPartition tp = new TopicPartition(TOPIC, entry.getKey());
            long last = entry.getValue().keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            Map<Long, String> stored = ClusterTestSupport.readPartition(bootstrap(), tp, last);
            entry.getValue().forEach((offset, value) ->
                    assertThat(stored.get(offset)).as("%s offset %d", tp, offset).isEqualTo(value));
        }
    }

    private static TopicDescription describe(Admin admin) throws Exception {
        return admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC);
    }

    private static Set<Integer> replicasOf(Admin admin, int partition) throws Exception {
        return describe(admin).partitions().get(partition).replicas().stream().map(Node::id).collect(Collectors.toSet());
    }

    private static Set<Integer> isrOf(Admin admin, int partition) throws Exception {
        TopicPartitionInfo info = describe(admin).partitions().get(partition);
        return info.isr().stream().map(Node::id).collect(Collectors.toSet());
    }

    private static boolean fullIsr(Admin admin) throws Exception {
        return describe(admin).partitions().stream().allMatch(p -> p.isr().size() == p.replicas().size());
    }

    private static void awaitMembers(Admin admin, int count) throws Exception {
        awaitTrue(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size() == count);
    }

    private static void awaitCount(AtomicLong count, long target) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (count.get() < target && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(count.get()).as("acknowledged records").isGreaterThanOrEqualTo(target);
    }

    private static void awaitTrue(ClusterTestSupport.Check check) throws Exception {
        ClusterTestSupport.awaitTrue("condition", 90, check);
    }
}
