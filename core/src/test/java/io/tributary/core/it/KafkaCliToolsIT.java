package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka's own command-line tools (kafka-tools 4.3.1, and kafka-configs from Kafka's core) against
 * the broker, run in this JVM by their main classes with the arguments the kafka-*.sh scripts take.
 */
class KafkaCliToolsIT {

    private static final String TOPICS = "org.apache.kafka.tools.TopicCommand";
    private static final String CONFIGS = "kafka.admin.ConfigCommand";
    private static final String GROUPS = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";
    private static final String GET_OFFSETS = "org.apache.kafka.tools.GetOffsetShell";
    private static final String DELETE_RECORDS = "org.apache.kafka.tools.DeleteRecordsCommand";
    private static final String CONSOLE_PRODUCER = "org.apache.kafka.tools.ConsoleProducer";
    private static final String CONSOLE_CONSUMER = "org.apache.kafka.tools.consumer.ConsoleConsumer";
    private static final String LOG_DIRS = "org.apache.kafka.tools.LogDirsCommand";

    @TempDir
    static Path dataDir;

    @TempDir
    static Path work;

    private static EmbeddedBroker broker;
    private static String bootstrap;

    @BeforeAll
    static void start() {
        broker = EmbeddedBroker.start(dataDir, GroupTestBroker.overrides());
        bootstrap = broker.bootstrapServers();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void kafkaTopicsCreatesListsDescribesAltersAndDeletes() {
        ok(TOPICS, "--bootstrap-server", bootstrap, "--create", "--topic", "cli-topics", "--partitions", "2",
                "--replication-factor", "1", "--config", "retention.ms=3600000");
        assertThat(ok(TOPICS, "--bootstrap-server", bootstrap, "--list").out()).contains("cli-topics");
        String described = ok(TOPICS, "--bootstrap-server", bootstrap, "--describe", "--topic", "cli-topics").out();
        assertThat(described).contains("PartitionCount: 2").contains("ReplicationFactor: 1")
                .contains("retention.ms=3600000").contains("Partition: 1");

        ok(TOPICS, "--bootstrap-server", bootstrap, "--alter", "--topic", "cli-topics", "--partitions", "4");
        assertThat(ok(TOPICS, "--bootstrap-server", bootstrap, "--describe", "--topic", "cli-topics").out())
                .contains("PartitionCount: 4").contains("Partition: 3");
        // Fewer partitions are refused, with Kafka's message.
        CliTool.Result shrink = CliTool.run(TOPICS, "--bootstrap-server", bootstrap, "--alter", "--topic",
                "cli-topics", "--partitions", "2");
        assertThat(shrink.out() + shrink.err()).contains("Topic currently has 4 partitions");

        ok(TOPICS, "--bootstrap-server", bootstrap, "--delete", "--topic", "cli-topics");
        assertThat(ok(TOPICS, "--bootstrap-server", bootstrap, "--list").out()).doesNotContain("cli-topics");
    }

    @Test
    void kafkaConfigsDescribesAndAltersTopicAndBrokerConfigs() throws Exception {
        ItClients.createTopic(bootstrap, "cli-configs", 1);
        String[] topic = {"--bootstrap-server", bootstrap, "--entity-type", "topics", "--entity-name", "cli-configs"};
        ok(CONFIGS, concat(topic, "--alter", "--add-config", "retention.ms=1000,cleanup.policy=[compact,delete]"));
        String described = ok(CONFIGS, concat(topic, "--describe")).out();
        assertThat(described).contains("retention.ms=1000").contains("cleanup.policy=compact,delete");

        ok(CONFIGS, concat(topic, "--alter", "--delete-config", "retention.ms"));
        assertThat(ok(CONFIGS, concat(topic, "--describe")).out()).doesNotContain("retention.ms=1000");
        String all = ok(CONFIGS, concat(topic, "--describe", "--all")).out();
        assertThat(all).contains("retention.ms=604800000").contains("segment.bytes=");

        CliTool.Result invalid = CliTool.run(CONFIGS, concat(topic, "--alter", "--add-config", "retention.ms=soon"));
        assertThat(invalid.exitCode()).isNotZero();
        assertThat(invalid.out() + invalid.err()).contains("retention.ms");

        String brokerConfigs = ok(CONFIGS, "--bootstrap-server", bootstrap, "--entity-type", "brokers",
                "--entity-name", "0", "--describe", "--all").out();
        assertThat(brokerConfigs).contains("log.dirs=").contains("offsets.topic.num.partitions=");
    }

    @Test
    void consoleProducerAndConsumerAndConsumerGroupsWithLag() throws Exception {
        String topic = "cli-console";
        String group = "cli-console-group";
        ItClients.createTopic(bootstrap, topic, 2);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            lines.append("key").append(i).append(":value").append(i).append('\n');
        }
        CliTool.Result produced = CliTool.runWithInput(CONSOLE_PRODUCER, lines.toString(), "--bootstrap-server",
                bootstrap, "--topic", topic, "--property", "parse.key=true", "--property", "key.separator=:");
        assertThat(produced.exitCode()).as("%s", produced).isZero();

        CliTool.Result consumed = CliTool.run(CONSOLE_CONSUMER, "--bootstrap-server", bootstrap, "--topic", topic,
                "--group", group, "--from-beginning", "--max-messages", "10", "--timeout-ms", "30000",
                "--property", "print.key=true");
        assertThat(consumed.out()).as("%s", consumed).contains("key0\tvalue0").contains("key9\tvalue9");
        // The same with the consumer group protocol (KIP-848).
        CliTool.Result consumed848 = CliTool.run(CONSOLE_CONSUMER, "--bootstrap-server", bootstrap, "--topic",
                topic, "--group", "cli-console-848", "--consumer-property", "group.protocol=consumer",
                "--from-beginning", "--max-messages", "10", "--timeout-ms", "30000");
        assertThat(consumed848.out()).as("%s", consumed848).contains("value0").contains("value9");
        assertThat(ok(GROUPS, "--bootstrap-server", bootstrap, "--list").out()).contains(group);

        // Five more records make a lag of five, which --describe reports per partition.
        try (KafkaProducer<String, String> producer = ItClients.producer(bootstrap)) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, "more" + i, "more")).get();
            }
        }
        Map<Integer, long[]> rows = describeOffsets(group, topic);
        assertThat(rows).hasSize(2);
        long lag = 0;
        for (long[] row : rows.values()) {
            assertThat(row[2]).as("LAG = LOG-END-OFFSET - CURRENT-OFFSET").isEqualTo(row[1] - row[0]);
            lag += row[2];
        }
        assertThat(lag).isEqualTo(5);
        assertThat(rows.values().stream().mapToLong(r -> r[1]).sum()).isEqualTo(15);

        // Reset to the earliest offsets: the whole topic is lag again.
        String reset = ok(GROUPS, "--bootstrap-server", bootstrap, "--group", group, "--topic", topic,
                "--reset-offsets", "--to-earliest", "--execute").out();
        assertThat(reset).contains(topic);
        assertThat(describeOffsets(group, topic).values().stream().mapToLong(r -> r[2]).sum()).isEqualTo(15);
        // ... and to a time in the future, which is the log end.
        ok(GROUPS, "--bootstrap-server", bootstrap, "--group", group, "--topic", topic, "--reset-offsets",
                "--to-datetime", "2999-01-01T00:00:00.000", "--execute");
        assertThat(describeOffsets(group, topic).values().stream().mapToLong(r -> r[2]).sum()).isZero();

        ok(GROUPS, "--bootstrap-server", bootstrap, "--group", group, "--topic", topic, "--delete-offsets");
        ok(GROUPS, "--bootstrap-server", bootstrap, "--group", group, "--delete");
        assertThat(ok(GROUPS, "--bootstrap-server", bootstrap, "--list").out()).doesNotContain(group);
    }

    @Test
    void consumerGroupsDescribesActiveMembersOfBothProtocols() throws Exception {
        for (String protocol : List.of("classic", "consumer")) {
            String topic = "cli-active-" + protocol;
            String group = "cli-active-group-" + protocol;
            ItClients.createTopic(bootstrap, topic, 2);
            try (GroupMember member = GroupMember.start(bootstrap, group, topic, protocol, "cli-member")) {
                ConsumerGroupIT.awaitTrue("the member has both partitions", () -> member.assignment().size() == 2);
                String members = ok(GROUPS, "--bootstrap-server", bootstrap, "--describe", "--group", group,
                        "--members").out();
                assertThat(members).contains("cli-member").contains("/127.0.0.1");
                String state = ok(GROUPS, "--bootstrap-server", bootstrap, "--describe", "--group", group,
                        "--state").out();
                assertThat(state).contains("Stable");
                // An active group cannot be deleted.
                CliTool.Result delete = CliTool.run(GROUPS, "--bootstrap-server", bootstrap, "--delete",
                        "--group", group);
                assertThat(delete.out() + delete.err()).contains("not empty");
            }
        }
    }

    @Test
    void getOffsetsDeleteRecordsAndLogDirs() throws Exception {
        String topic = "cli-offsets";
        ItClients.createTopic(bootstrap, topic, 1);
        try (KafkaProducer<String, String> producer = ItClients.producer(bootstrap)) {
            for (int i = 0; i < 6; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", "v" + i)).get();
            }
        }
        assertThat(ok(GET_OFFSETS, "--bootstrap-server", bootstrap, "--topic", topic).out()).contains(topic + ":0:6");
        assertThat(ok(GET_OFFSETS, "--bootstrap-server", bootstrap, "--topic", topic, "--time", "-2").out())
                .contains(topic + ":0:0");

        Path json = work.resolve("delete-records.json");
        Files.writeString(json, "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":4}],"
                + "\"version\":1}");
        String deleted = ok(DELETE_RECORDS, "--bootstrap-server", bootstrap, "--offset-json-file", json.toString())
                .out();
        assertThat(deleted).contains("low_watermark: 4");
        assertThat(ok(GET_OFFSETS, "--bootstrap-server", bootstrap, "--topic", topic, "--time", "-2").out())
                .contains(topic + ":0:4");

        String dirs = ok(LOG_DIRS, "--bootstrap-server", bootstrap, "--describe", "--topic-list", topic).out();
        assertThat(dirs).contains("\"partition\":\"" + topic + "-0\"");
    }

    // ---- helpers

    /** Runs a tool that must succeed. */
    private static CliTool.Result ok(String tool, String... args) {
        CliTool.Result r = CliTool.run(tool, args);
        assertThat(r.exitCode()).as("%s %s: %s", tool, Arrays.toString(args), r).isZero();
        return r;
    }

    /** kafka-consumer-groups --describe rows of the topic: partition -> [current offset, log end offset, lag]. */
    private static Map<Integer, long[]> describeOffsets(String group, String topic) {
        String out = ok(GROUPS, "--bootstrap-server", bootstrap, "--describe", "--group", group).out();
        Map<Integer, long[]> rows = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 6 && cols[0].equals(group) && cols[1].equals(topic)) {
                rows.put(Integer.parseInt(cols[2]), new long[]{parse(cols[3]), parse(cols[4]), parse(cols[5])});
            }
        }
        return rows;
    }

    private static long parse(String column) {
        return column.equals("-") ? -1 : Long.parseLong(column);
    }

    private static String[] concat(String[] first, String... rest) {
        List<String> all = new ArrayList<>(Arrays.asList(first));
        all.addAll(Arrays.asList(rest));
        return all.toArray(String[]::new);
    }
}
