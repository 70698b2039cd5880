package io.tributary.server.cli;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code tributary groups list|describe|delete|reset-offsets}. */
@Command(name = "groups", description = "List consumer groups, show their lag, delete them, reset their offsets.",
        mixinStandardHelpOptions = true,
        subcommands = {GroupsCommand.ListGroups.class, GroupsCommand.Describe.class, GroupsCommand.Delete.class,
                GroupsCommand.ResetOffsets.class})
public final class GroupsCommand {

    private static final long TIMEOUT_S = 30;

    @Command(name = "list", description = "Every group with its type and state.", mixinStandardHelpOptions = true)
    static final class ListGroups extends ClientCommand {

        @Override
        int run() throws ExecutionException, InterruptedException, TimeoutException {
            try (Admin admin = client.admin()) {
                List<GroupListing> groups = new ArrayList<>(admin.listGroups().all().get(TIMEOUT_S, TimeUnit.SECONDS));
                groups.sort(Comparator.comparing(GroupListing::groupId));
                List<Map<String, Object>> rows = new ArrayList<>();
                for (GroupListing g : groups) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("group", g.groupId());
                    row.put("type", g.type().map(t -> t.toString().toLowerCase(java.util.Locale.ROOT)).orElse("-"));
                    row.put("state", g.groupState().map(Object::toString).orElse("-"));
                    rows.add(row);
                }
                printer().rows(rows);
            }
            return 0;
        }
    }

    @Command(name = "describe", description = "Committed offsets, log end offsets and lag per partition, with owners.",
            mixinStandardHelpOptions = true)
    static final class Describe extends ClientCommand {

        @Parameters(paramLabel = "GROUP")
        String group;

        @Override
        int run() throws ExecutionException, InterruptedException, TimeoutException {
            try (Admin admin = client.admin()) {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                        .get(TIMEOUT_S, TimeUnit.SECONDS).get(group);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(TIMEOUT_S, TimeUnit.SECONDS);
                Map<TopicPartition, MemberDescription> owners = new HashMap<>();
                for (MemberDescription m : description.members()) {
                    m.assignment().topicPartitions().forEach(tp -> owners.put(tp, m));
                }
                Set<TopicPartition> partitions = new TreeSet<>(Comparator.comparing(TopicPartition::topic)
                        .thenComparingInt(TopicPartition::partition));
                partitions.addAll(committed.keySet());
                partitions.addAll(owners.keySet());
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get(TIMEOUT_S, TimeUnit.SECONDS);

                List<Map<String, Object>> rows = new ArrayList<>();
                long totalLag = 0;
                for (TopicPartition tp : partitions) {
                    OffsetAndMetadata offset = committed.get(tp);
                    long end = ends.get(tp).offset();
                    Long lag = offset == null ? null : Math.max(0, end - offset.offset());
                    totalLag += lag == null ? 0 : lag;
                    MemberDescription owner = owners.get(tp);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("topic", tp.topic());
                    row.put("partition", tp.partition());
                    row.put("committed", offset == null ? null : offset.offset());
                    row.put("end_offset", end);
                    row.put("lag", lag);
                    row.put("member", owner == null ? null : owner.consumerId());
                    row.put("client", owner == null ? null : owner.clientId());
                    row.put("host", owner == null ? null : owner.host());
                    rows.add(row);
                }
                Printer printer = printer();
                if (client.output == OutputFormat.JSON) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("group", group);
                    json.put("state", String.valueOf(description.groupState()));
                    json.put("type", String.valueOf(description.type()).toLowerCase(java.util.Locale.ROOT));
                    json.put("members", description.members().size());
                    json.put("lag", totalLag);
                    json.put("partitions", rows);
                    printer.json(json);
                } else {
                    printer.line("Group " + group + ": " + description.groupState() + ", "
                            + description.members().size() + " member(s), total lag " + totalLag);
                    printer.rows(rows);
                }
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Deletes empty groups and their committed offsets.",
            mixinStandardHelpOptions = true)
    static final class Delete extends ClientCommand {

        @Parameters(paramLabel = "GROUP", arity = "1..*")
        List<String> groups;

        @Override
        int run() throws ExecutionException, InterruptedException, TimeoutException {
            try (Admin admin = client.admin()) {
                admin.deleteConsumerGroups(groups).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            }
            printer().object(Map.of("deleted", groups));
            return 0;
        }
    }

    @Command(name = "reset-offsets", mixinStandardHelpOptions = true,
            description = "Moves an inactive group's committed offsets for a topic. Shows the plan unless --execute.")
    static final class ResetOffsets extends ClientCommand {

        @Parameters(paramLabel = "GROUP")
        String group;

        @Option(names = {"-t", "--topic"}, required = true, description = "The topic whose offsets move.")
        String topic;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Option(names = "--execute", description = "Apply the plan (default: only show it).")
        boolean execute;

        static final class Target {
            @Option(names = "--to-earliest", description = "The first offset still stored.")
            boolean earliest;
            @Option(names = "--to-latest", description = "The log end: skip everything not yet consumed.")
            boolean latest;
            @Option(names = "--to-offset", paramLabel = "OFFSET", description = "An absolute offset.")
            Long offset;
            @Option(names = "--to-timestamp", paramLabel = "EPOCH_MS",
                    description = "The first record at or after this time.")
            Long timestamp;
        }

        @Override
        int run() throws ExecutionException, InterruptedException, TimeoutException {
            try (Admin admin = client.admin()) {
                int count = admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS)
                        .get(topic).partitions().size();
                Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
                for (int p = 0; p < count; p++) {
                    specs.put(new TopicPartition(topic, p), spec());
                }
                Map<TopicPartition, OffsetAndMetadata> plan = new LinkedHashMap<>();
                if (target.offset != null) {
                    specs.keySet().forEach(tp -> plan.put(tp, new OffsetAndMetadata(target.offset)));
                } else {
                    var found = admin.listOffsets(specs).all().get(TIMEOUT_S, TimeUnit.SECONDS);
                    var ends = target.timestamp == null ? found : admin.listOffsets(latestOf(specs)).all()
                            .get(TIMEOUT_S, TimeUnit.SECONDS);
                    found.forEach((tp, info) -> plan.put(tp,
                            new OffsetAndMetadata(info.offset() >= 0 ? info.offset() : ends.get(tp).offset())));
                }
                if (execute) {
                    admin.alterConsumerGroupOffsets(group, plan).all().get(TIMEOUT_S, TimeUnit.SECONDS);
                }
                List<Map<String, Object>> rows = new ArrayList<>();
                plan.entrySet().stream()
                        .sorted(Comparator.comparingInt(e -> e.getKey().partition()))
                        .forEach(e -> {
                            Map<String, Object> row = new LinkedHashMap<>();
                            row.put("topic", e.getKey().topic());
                            row.put("partition", e.getKey().partition());
                            row.put("new_offset", e.getValue().offset());
                            row.put("applied", execute);
                            rows.add(row);
                        });
                printer().rows(rows);
            }
            return 0;
        }

        private OffsetSpec spec() {
            if (target.earliest) {
                return OffsetSpec.earliest();
            }
            if (target.latest) {
                return OffsetSpec.latest();
            }
            return target.timestamp != null ? OffsetSpec.forTimestamp(target.timestamp) : OffsetSpec.latest();
        }

        private static Map<TopicPartition, OffsetSpec> latestOf(Map<TopicPartition, OffsetSpec> specs) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            specs.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            return latest;
        }
    }
}
