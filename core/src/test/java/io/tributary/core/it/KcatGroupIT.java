package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * librdkafka's balanced consumer (kcat -G) in a group, when kcat is installed: it consumes and
 * commits through the classic group protocol, and shares a topic with a Java consumer in one group.
 */
class KcatGroupIT {

    @TempDir
    static Path dataDir;

    @TempDir
    static Path work;

    private static EmbeddedBroker broker;
    private static String kcat;

    @BeforeAll
    static void setUp() {
        kcat = findOnPath("kcat");
        Assumptions.assumeTrue(kcat != null, "kcat is not on PATH (install it, e.g. apt-get install kcat)");
        broker = EmbeddedBroker.start(dataDir, GroupTestBroker.overrides());
    }

    @AfterAll
    static void tearDown() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void balancedConsumerConsumesAndCommitsInAGroup() throws Exception {
        String topic = "kcat-group-topic";
        String group = "kcat-group";
        ItClients.createTopic(broker.bootstrapServers(), topic, 3);
        produce(topic, 30);

        Path out = work.resolve("kcat-consumed.txt");
        Process kcatConsumer = start(out, "-b", broker.bootstrapServers(), "-G", group, "-c", "30",
                "-f", "%p:%o:%s\\n", "-X", "auto.offset.reset=earliest", "-X", "session.timeout.ms=6000", topic);
        assertThat(kcatConsumer.waitFor(60, TimeUnit.SECONDS)).as("kcat -G consumed 30 records").isTrue();
        assertThat(kcatConsumer.exitValue()).isZero();
        List<String> lines = Files.readAllLines(out).stream().filter(l -> l.matches("\\d+:\\d+:.*")).toList();
        assertThat(lines).hasSize(30);
        assertThat(new HashSet<>(lines)).hasSize(30);

        // librdkafka commits what it consumed when it closes.
        try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(30);
        }
    }

    @Test
    void kcatAndAJavaConsumerShareATopicInOneGroup() throws Exception {
        String topic = "kcat-shared-topic";
        String group = "kcat-shared-group";
        ItClients.createTopic(broker.bootstrapServers(), topic, 4);
        Process kcatConsumer = null;
        try (GroupMember java = GroupMember.start(broker.bootstrapServers(), group, topic, "classic", "java-member")) {
            ConsumerGroupIT.awaitTrue("the Java member owns all partitions", () -> java.assignment().size() == 4);
            kcatConsumer = start(work.resolve("kcat-shared.txt"), "-b", broker.bootstrapServers(), "-G", group,
                    "-X", "session.timeout.ms=6000", "-X", "partition.assignment.strategy=range", topic);
            ConsumerGroupIT.awaitTrue("java and kcat have two partitions each", () -> java.assignment().size() == 2
                    && membersWithPartitions(group) == 2);
            Set<TopicPartition> all = new HashSet<>();
            int sum = 0;
            for (MemberDescription m : describe(group).members()) {
                all.addAll(m.assignment().topicPartitions());
                sum += m.assignment().topicPartitions().size();
            }
            assertThat(all).hasSize(4);
            assertThat(sum).isEqualTo(4);
            kcatConsumer.destroy();
            ConsumerGroupIT.awaitTrue("the Java member owns all partitions again after kcat left",
                    () -> java.assignment().size() == 4);
        } finally {
            if (kcatConsumer != null) {
                kcatConsumer.destroyForcibly();
            }
        }
    }

    private static int membersWithPartitions(String group) {
        try {
            return (int) describe(group).members().stream()
                    .filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
        } catch (Exception e) {
            return -1;
        }
    }

    private static ConsumerGroupDescription describe(String group) throws Exception {
        try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
            return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS);
        }
    }

    private static void produce(String topic, int count) throws Exception {
        try (KafkaProducer<String, String> producer = ItClients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    private static Process start(Path out, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(kcat);
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(work.resolve(out.getFileName() + ".err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    private static String findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
