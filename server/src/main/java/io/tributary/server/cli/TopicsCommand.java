package io.tributary.server.cli;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code tributary topics list|describe|create|delete|alter}. */
@Command(name = "topics", description = "List, describe, create, delete and configure topics.",
        mixinStandardHelpOptions = true,
        subcommands = {TopicsCommand.ListTopics.class, TopicsCommand.Describe.class, TopicsCommand.Create.class,
                TopicsCommand.Delete.class, TopicsCommand.Alter.class})
public final class TopicsCommand {

    private static final long TIMEOUT_S = 30;

    @Command(name = "list", description = "Topics with their partition counts.", mixinStandardHelpOptions = true)
    static final class ListTopics extends ClientCommand {

        @Option(names = "--internal", description = "Include internal topics (__consumer_offsets, ...).")
        boolean internal;

        @Override
        int run() throws ExecutionException, InterruptedException, TimeoutException {
            try (Admin admin = client.admin()) {
                var names = admin.listTopics(new ListTopicsOptions().listInternal(internal)).names()
                        .get(TIMEOUT_S, TimeUnit.SECONDS);
                Map<String, TopicDescription> topics = new TreeMap<>(admin.describeTopics(names).allTopicNames()
                        .get(TIMEOUT_S, TimeUnit.SECONDS));
                List<Map<String, Object>> rows = new ArrayList<>();
                topics.values().forEach(t -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("topic", t.name());
                    row.put("partitions", t.partitions().size());
                    row.put("replication_factor", t.partitions().isEmpty() ? 0 : t.partitions().get(0).replicas().size());
                    row.put("internal", t.isInternal());
                    rows.add(row);
                });
                printer().rows(rows);
            }
            return 0;
        }
    }

    @Command(name = "describe", description = "Partitions (leader, replicas, ISR, offsets) and config overrides.",
            mixinStandardHelpOptions = true)
    static final class Describe extends ClientCommand {

        @Parameters(paramLabel = "TOPIC")
        String topic;

        @Override
        int run() throws ExecutionException, InterruptedException, TimeoutException {
            try (Admin admin = client.admin()) {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(TIMEOUT_S, TimeUnit.SECONDS).get(topic);
                Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (TopicPartitionInfo p : description.partitions()) {
                    earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
                    latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
                }
                var starts = admin.listOffsets(earliest).all().get(TIMEOUT_S, TimeUnit.SECONDS);
                var ends = admin.listOffsets(latest).all().get(TIMEOUT_S, TimeUnit.SECONDS);
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                Config config = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT_S, TimeUnit.SECONDS)
                        .get(resource);

                List<Map<String, Object>> partitions = new ArrayList<>();
                for (TopicPartitionInfo p : description.partitions()) {
                    TopicPartition tp = new TopicPartition(topic, p.partition());
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("partition", p.partition());
                    row.put("leader", Optional.ofNullable(p.leader()).map(Node::id).orElse(-1));
                    row.put("replicas", p.replicas().stream().map(Node::id).toList());
                    row.put("isr", p.isr().stream().map(Node::id).toList());
                    row.put("start_offset", starts.get(tp).offset());
                    row.put("end_offset", ends.get(tp).offset());
                    partitions.add(row);
                }
                Map<String, String> overrides = new TreeMap<>();
                for (ConfigEntry entry : config.entries()) {
                    if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                        overrides.put(entry.name(), entry.value());
                    }
                }
                Printer printer = printer();
                if (client.output == OutputFormat.JSON) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("topic", topic);
                    json.put("id", description.topicId().toString());
                    json.put("partitions", partitions);
                    json.put("configs", overrides);
                    printer.json(json);
                } else {
                    printer.line("Topic " + topic + " (id " + description.topicId() + ")");
                    printer.rows(partitions);
                    overrides.forEach((k, v) -> printer.line("  " + k + "=" + v));
                }
            }
            return 0;
        }
    }

    @Command(name = "create", description = "Creates a topic.", mixinStandardHelpOptions = true)
    static final class Create extends ClientCommand {

        @Parameters(paramLabel = "TOPIC")
        String topic;

        @Option(names = {"-p", "--partitions"}, description = "Default: the broker's num.partitions.")
        Integer partitions;

        @Option(names = {"-r", "--replication-factor"}, description = "Default: default.replication.factor.")
        Short replicationFactor;

        @Option(names = {"-c", "--config"}, paramLabel = "key=value", description = "A topic config; repeatable.")
        Map<String, String> configs = new HashMap<>();

        @Override
        int run() throws ExecutionException, InterruptedException, TimeoutException {
            NewTopic newTopic = new NewTopic(topic, Optional.ofNullable(partitions), Optional.ofNullable(replicationFactor))
                    .configs(configs);
            try (Admin admin = client.admin()) {
                admin.createTopics(List.of(newTopic)).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            }
            printer().object(Map.of("created", topic));
            return 0;
        }
    }

    @Command(name = "delete", description = "Deletes topics and their data.", mixinStandardHelpOptions = true)
    static final class Delete extends ClientCommand {

        @Parameters(paramLabel = "TOPIC", arity = "1..*")
        List<String> topics;

        @Override
        int run() throws ExecutionException, InterruptedException, TimeoutException {
            try (Admin admin = client.admin()) {
                admin.deleteTopics(topics).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            }
            printer().object(Map.of("deleted", topics));
            return 0;
        }
    }

    @Command(name = "alter", description = "Sets or removes topic config overrides.", mixinStandardHelpOptions = true)
    static final class Alter extends ClientCommand {

        @Parameters(paramLabel = "TOPIC")
        String topic;

        @Option(names = {"-c", "--config"}, paramLabel = "key=value", description = "Sets a config; repeatable.")
        Map<String, String> set = new HashMap<>();

        @Option(names = "--delete-config", paramLabel = "key", description = "Removes an override; repeatable.")
        List<String> delete = new ArrayList<>();

        @Override
        int run() throws ExecutionException, InterruptedException, TimeoutException {
            if (set.isEmpty() && delete.isEmpty()) {
                throw new CliException("Nothing to change: give --config key=value or --delete-config key");
            }
            List<AlterConfigOp> ops = new ArrayList<>();
            set.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
            delete.forEach(k -> ops.add(new AlterConfigOp(new ConfigEntry(k, null), AlterConfigOp.OpType.DELETE)));
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            try (Admin admin = client.admin()) {
                admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            }
            printer().object(Map.of("altered", topic));
            return 0;
        }
    }
}
