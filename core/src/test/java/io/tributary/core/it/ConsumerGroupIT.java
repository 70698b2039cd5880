package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Java consumers in a group, with the classic protocol and with the consumer protocol (KIP-848):
 * members share a topic without overlap, the partitions of a member that leaves or is killed go to
 * the others, and committed offsets survive a broker restart so a new member resumes where the
 * group left off.
 */
class ConsumerGroupIT {

    private static final int PARTITIONS = 6;
    private static final Duration DEADLINE = Duration.ofSeconds(45);

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

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void threeMembersShareSixPartitionsWithoutOverlap(String protocol) throws Exception {
        String topic = "share-" + protocol;
        String group = "share-group-" + protocol;
        ItClients.createTopic(broker.bootstrapServers(), topic, PARTITIONS);
        List<GroupMember> members = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                members.add(GroupMember.start(broker.bootstrapServers(), group, topic, protocol, "m" + i));
            }
            awaitTrue("three members with two partitions each", () -> members.stream()
                    .allMatch(m -> m.assignment().size() == 2) && union(members).size() == PARTITIONS);
            assertDisjoint(members);

            produce(topic, 60, "v");
            awaitTrue("all 60 records consumed", () -> totalReceived(members) >= 60);
            Set<String> values = new HashSet<>();
            for (GroupMember m : members) {
                for (ConsumerRecord<String, String> r : m.received) {
                    assertThat(m.assignment()).contains(new TopicPartition(r.topic(), r.partition()));
                    assertThat(values.add(r.value())).as("record %s delivered once", r.value()).isTrue();
                }
            }
            assertThat(values).hasSize(60);
        } finally {
            members.forEach(GroupMember::close);
        }
        members.forEach(m -> assertThat(m.failure()).isNull());
    }

    @Test
    void cooperativeStickyMembersRebalanceIncrementallyWithoutOverlap() throws Exception {
        String topic = "cooperative";
        String group = "cooperative-group";
        ItClients.createTopic(broker.bootstrapServers(), topic, PARTITIONS);
        Map<String, Object> cooperative = Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                CooperativeStickyAssignor.class.getName());
        List<GroupMember> members = new ArrayList<>();
        try {
            members.add(GroupMember.start(broker.bootstrapServers(), group, topic, "classic", "co0", cooperative));
            awaitTrue("the first member owns everything", () -> members.get(0).assignment().size() == PARTITIONS);
            Set<TopicPartition> before = members.get(0).assignment();
            for (int i = 1; i < 3; i++) {
                members.add(GroupMember.start(broker.bootstrapServers(), group, topic, "classic", "co" + i,
                        cooperative));
            }
            awaitTrue("three members with two partitions each", () -> members.stream()
                    .allMatch(m -> m.assignment().size() == 2) && union(members).size() == PARTITIONS);
            assertDisjoint(members);
            // Sticky: the first member kept partitions it had.
            assertThat(before).containsAll(members.get(0).assignment());
        } finally {
            members.forEach(GroupMember::close);
        }
        members.forEach(m -> assertThat(m.failure()).isNull());
    }

    /**
     * A static member restarts within its session: it gets its partitions back and the other member is not
     * rebalanced, whether the restarted member is a follower or the group's leader (which, as in Kafka's KIP-814,
     * is told to skip assigning). The member that joins first leads.
     */
    @ParameterizedTest(name = "the restarted member leads: {0}")
    @ValueSource(booleans = {false, true})
    void aStaticMemberThatRestartsWithinItsSessionGetsItsPartitionsBackWithoutARebalance(boolean restartedLeads)
            throws Exception {
        String topic = "static-" + restartedLeads;
        String group = "static-group-" + restartedLeads;
        ItClients.createTopic(broker.bootstrapServers(), topic, PARTITIONS);
        Map<String, Object> staticA = Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-a");
        Map<String, Object> staticB = Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-b");
        GroupMember first = GroupMember.start(broker.bootstrapServers(), group, topic, "classic",
                restartedLeads ? "a" : "b", restartedLeads ? staticA : staticB);
        awaitTrue("the first member owns the topic", () -> first.assignment().size() == PARTITIONS);
        GroupMember second = GroupMember.start(broker.bootstrapServers(), group, topic, "classic",
                restartedLeads ? "b" : "a", restartedLeads ? staticB : staticA);
        GroupMember a = restartedLeads ? first : second;
        GroupMember b = restartedLeads ? second : first;
        try {
            awaitTrue("a and b share the topic", () -> a.assignment().size() == 3 && b.assignment().size() == 3);
            Set<TopicPartition> owned = a.assignment();
            int bChanges = b.assignmentChanges.get();
            // A static member does not leave the group when it closes: its partitions wait for it.
            a.close();
            try (GroupMember again = GroupMember.start(broker.bootstrapServers(), group, topic, "classic", "a2",
                    staticA)) {
                awaitTrue("the restarted member has its partitions back", () -> again.assignment().equals(owned));
                assertThat(b.assignmentChanges.get()).as("b was not rebalanced").isEqualTo(bChanges);
            }
        } finally {
            a.close();
            b.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void partitionsOfAMemberThatLeavesOrIsKilledAreReassigned(String protocol) throws Exception {
        String topic = "failover-" + protocol;
        String group = "failover-group-" + protocol;
        ItClients.createTopic(broker.bootstrapServers(), topic, PARTITIONS);
        GroupMember a = GroupMember.start(broker.bootstrapServers(), group, topic, protocol, "a");
        GroupMember b = GroupMember.start(broker.bootstrapServers(), group, topic, protocol, "b");
        Process killed = GroupMemberProcess.spawn(broker.bootstrapServers(), group, topic, protocol);
        AtomicReference<String> external = watch(killed);
        try {
            awaitTrue("a, b and the external member share the topic", () -> a.assignment().size() == 2
                    && b.assignment().size() == 2 && countOf(external.get()) == 2);

            // Killed: no LeaveGroup, no heartbeats; the session timeout (6 s) removes it.
            killed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            awaitTrue("a and b own all partitions after the kill", () -> a.assignment().size() == 3
                    && b.assignment().size() == 3 && union(List.of(a, b)).size() == PARTITIONS);

            // Leaves: close() sends LeaveGroup (classic) or a leave heartbeat (consumer); b takes over at once.
            a.close();
            awaitTrue("b owns everything after a left", () -> b.assignment().size() == PARTITIONS);
        } finally {
            killed.destroyForcibly();
            a.close();
            b.close();
        }
        assertThat(a.failure()).isNull();
        assertThat(b.failure()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void committedOffsetsSurviveARestartAndANewMemberResumesWithoutRedelivery(String protocol) throws Exception {
        String topic = "resume-" + protocol;
        String group = "resume-group-" + protocol;
        ItClients.createTopic(broker.bootstrapServers(), topic, 3);
        produce(topic, 30, "before");
        try (GroupMember first = GroupMember.start(broker.bootstrapServers(), group, topic, protocol, "first")) {
            awaitTrue("the first member consumed and committed 30 records", () -> first.received.size() >= 30
                    && committedTotal(group, topic) == 30);
        }

        broker.restart();

        try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(30);
        }
        produce(topic, 10, "after");
        List<ConsumerRecord<String, String>> resumed = new ArrayList<>();
        try (KafkaConsumer<String, String> second = ItClients.consumer(broker.bootstrapServers(),
                GroupMember.props(group, protocol))) {
            second.subscribe(List.of(topic));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (resumed.size() < 10 && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = second.poll(Duration.ofMillis(200));
                records.forEach(resumed::add);
            }
            // A short extra poll shows nothing from before the restart is delivered again.
            second.poll(Duration.ofMillis(500)).forEach(resumed::add);
        }
        assertThat(resumed).hasSize(10);
        assertThat(resumed).allSatisfy(r -> assertThat(r.value()).startsWith("after"));
    }

    // ---- helpers

    private static void produce(String topic, int count, String prefix) throws Exception {
        try (KafkaProducer<String, String> producer = ItClients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, prefix + "-" + i));
            }
            producer.flush();
        }
    }

    private static long committedTotal(String group, String topic) {
        try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private static Set<TopicPartition> union(List<GroupMember> members) {
        Set<TopicPartition> all = new HashSet<>();
        members.forEach(m -> all.addAll(m.assignment()));
        return all;
    }

    private static void assertDisjoint(List<GroupMember> members) {
        int sum = members.stream().mapToInt(m -> m.assignment().size()).sum();
        assertThat(union(members)).hasSize(sum);
    }

    private static int totalReceived(List<GroupMember> members) {
        return members.stream().mapToInt(m -> m.received.size()).sum();
    }

    /** Reads the external member's output; the reference holds its latest "ASSIGNED ..." line. */
    private static AtomicReference<String> watch(Process process) {
        AtomicReference<String> latest = new AtomicReference<>("");
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("ASSIGNED ")) {
                        latest.set(line.substring("ASSIGNED ".length()));
                    }
                }
            } catch (Exception ignored) {
                // the process was killed
            }
        }, "external-member-output");
        reader.setDaemon(true);
        reader.start();
        return latest;
    }

    private static int countOf(String partitions) {
        return partitions.isBlank() ? 0 : partitions.split(",").length;
    }

    static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }
}
