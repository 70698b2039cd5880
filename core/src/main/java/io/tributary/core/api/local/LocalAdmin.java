package io.tributary.core.api.local;

import io.tributary.core.BoundListener;
import io.tributary.core.BrokerServices;
import io.tributary.core.api.Admin;
import io.tributary.core.api.ApiException;
import io.tributary.core.api.ClusterOverview;
import io.tributary.core.api.GroupDetail;
import io.tributary.core.api.GroupMemberInfo;
import io.tributary.core.api.GroupOverview;
import io.tributary.core.api.MemberInfo;
import io.tributary.core.api.PartitionOverview;
import io.tributary.core.cluster.ClusterMember;
import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.config.ClusterConfigDef;
import io.tributary.core.config.Listener;
import io.tributary.core.config.TopicConfigs;
import io.tributary.core.group.AdminMessages.GroupDescription;
import io.tributary.core.group.AdminMessages.GroupListing;
import io.tributary.core.group.Assignment;
import io.tributary.core.group.ConsumerMessages;
import io.tributary.core.group.GroupError;
import io.tributary.core.group.GroupType;
import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.metadata.PartitionState;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.metrics.ConsumerLag;
import io.tributary.core.partition.Partition;
import io.tributary.core.protocol.ConsumerAssignments;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link Admin} over this broker: log offsets and sizes from its partitions, groups from its coordinator. Where
 * members and replicas are comes from a {@link Placement}: {@link #fromMetadata}, the controller's decisions as
 * this broker knows them.
 */
public final class LocalAdmin implements Admin {

    /** Where replicas live and who is in the cluster: the part of the admin view that clustering changes. */
    public interface Placement {

        int controllerId();

        /** Every member, this one included. */
        List<MemberInfo> members();

        /** The replicas of one partition of an existing topic. */
        Replicas replicas(TopicPartition partition);
    }

    /** A partition's leader, its replicas (preferred leader first) and those in sync. */
    public record Replicas(int leader, List<Integer> replicas, List<Integer> isr) {
    }

    private static final Comparator<TopicPartition> PARTITION_ORDER = Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);

    private final BrokerServices broker;
    private final Placement placement;

    public LocalAdmin(BrokerServices broker, Placement placement) {
        this.broker = broker;
        this.placement = placement;
    }

    /**
     * The placement the controller decided: live members with the endpoints they announced (this broker's own
     * bound port when port 0 was configured), and each partition's leader, replicas and ISR from the metadata
     * image. A standalone broker is the one member, controller and sole replica of everything.
     */
    public static Placement fromMetadata(BrokerServices broker, Supplier<List<BoundListener>> bound) {
        return new Placement() {
            @Override
            public int controllerId() {
                return broker.cluster().membership().controllerId();
            }

            @Override
            public List<MemberInfo> members() {
                int self = broker.nodeId();
                List<MemberInfo> members = new ArrayList<>();
                for (ClusterMember member : broker.cluster().membership().members().values()) {
                    if (member.nodeId() == self) {
                        members.add(self(broker, bound, member.rack()));
                    } else {
                        Listener endpoint = member.endpoint(broker.config().advertisedListeners().get(0).name());
                        if (endpoint != null) {
                            members.add(new MemberInfo(member.nodeId(), endpoint.host(), endpoint.port(),
                                    member.rack(), false));
                        }
                    }
                }
                if (members.stream().noneMatch(MemberInfo::self)) {
                    members.add(self(broker, bound, (String) broker.config().value(ClusterConfigDef.BROKER_RACK)));
                }
                return members;
            }

            @Override
            public Replicas replicas(TopicPartition partition) {
                PartitionState state = broker.topics().image().topic(partition.topic())
                        .filter(t -> partition.partition() < t.partitionCount())
                        .map(t -> t.partition(partition.partition()))
                        .orElseThrow();
                return new Replicas(state.leader(), state.replicas(), state.isr());
            }
        };
    }

    private static MemberInfo self(BrokerServices broker, Supplier<List<BoundListener>> bound, String rack) {
        Listener advertised = broker.config().advertisedListeners().get(0);
        int port = advertised.port() != 0 ? advertised.port() : bound.get().stream()
                .filter(b -> b.name().equals(advertised.name())).mapToInt(BoundListener::port)
                .findFirst().orElse(0);
        return new MemberInfo(broker.nodeId(), advertised.host(), port, rack, true);
    }

    @Override
    public Future<ClusterOverview> cluster() {
        List<MemberInfo> members = new ArrayList<>(placement.members());
        members.sort(Comparator.comparingInt(MemberInfo::nodeId));
        return Future.succeededFuture(new ClusterOverview(broker.clusterId(), placement.controllerId(), members));
    }

    @Override
    public Future<List<PartitionOverview>> partitions(String topic) {
        Optional<TopicInfo> info = broker.topics().image().topic(topic);
        if (info.isEmpty()) {
            return Future.failedFuture(new ApiException(ApiException.Reason.UNKNOWN_TOPIC,
                    "Topic " + topic + " does not exist"));
        }
        List<Future<PartitionOverview>> rows = new ArrayList<>();
        for (int p = 0; p < info.get().partitionCount(); p++) {
            rows.add(partition(new TopicPartition(topic, p)));
        }
        return Future.all(rows).map(all -> rows.stream().map(Future::result).toList());
    }

    private Future<PartitionOverview> partition(TopicPartition tp) {
        Replicas replicas = placement.replicas(tp);
        Partition partition = broker.partitions().get(tp);
        if (partition == null) {
            return Future.succeededFuture(new PartitionOverview(tp.partition(), replicas.leader(), replicas.replicas(),
                    replicas.isr(), -1, -1, -1));
        }
        return ContextHop.call(partition.owner(), () -> new PartitionOverview(tp.partition(), replicas.leader(),
                replicas.replicas(), replicas.isr(), partition.logStartOffset(), partition.highWatermark(),
                partition.log().sizeInBytes()));
    }

    @Override
    public Optional<Map<String, String>> topicConfigs(String topic) {
        return broker.topics().image().topic(topic).map(info -> {
            Map<String, String> configs = new LinkedHashMap<>();
            TopicConfigs.describe(info.configs(), broker.config()).forEach((name, v) -> configs.put(name, v.value()));
            return configs;
        });
    }

    @Override
    public Future<List<GroupOverview>> groups() {
        return broker.groups().listGroups(Set.of(), Set.of()).compose(listings -> {
            List<Future<GroupOverview>> rows = new ArrayList<>();
            for (GroupListing listing : listings) {
                rows.add(broker.groups().describeGroup(listing.groupId(), false).map(d ->
                        new GroupOverview(listing.groupId(), listing.type().protocolName(), d.state(),
                                d.members().size())));
            }
            return Future.all(rows).map(all -> rows.stream().map(Future::result)
                    .sorted(Comparator.comparing(GroupOverview::groupId)).toList());
        });
    }

    @Override
    public Future<Optional<GroupDetail>> group(String groupId) {
        return broker.groups().listGroups(Set.of(), Set.of()).compose(listings -> {
            Optional<GroupListing> listing = listings.stream().filter(l -> l.groupId().equals(groupId)).findFirst();
            if (listing.isEmpty()) {
                return Future.succeededFuture(Optional.empty());
            }
            GroupType type = listing.get().type();
            Future<GroupHead> head = type == GroupType.CONSUMER ? consumerGroup(groupId) : classicGroup(groupId);
            return head.compose(h -> ConsumerLag.of(broker.groups(), broker.partitions(), groupId)
                    .map(offsets -> Optional.of(new GroupDetail(groupId, type.protocolName(), h.state(),
                            h.members(), offsets))));
        });
    }

    /** A group's state and members, whichever protocol it speaks. */
    private record GroupHead(String state, List<GroupMemberInfo> members) {
    }

    private Future<GroupHead> classicGroup(String groupId) {
        return broker.groups().describeGroup(groupId, false).map((GroupDescription d) -> new GroupHead(d.state(),
                sorted(d.members().stream().map(m -> new GroupMemberInfo(m.memberId(), m.clientId(), m.clientHost(),
                        sortedPartitions(ConsumerAssignments.partitions(m.assignment())))).toList())));
    }

    private Future<GroupHead> consumerGroup(String groupId) {
        return broker.groups().describeConsumerGroup(groupId).map((ConsumerMessages.GroupDescription d) -> {
            if (d.error() != GroupError.NONE) {
                return new GroupHead(d.state(), List.of());
            }
            MetadataImage image = broker.topics().image();
            return new GroupHead(d.state(), sorted(d.members().stream().map(m -> new GroupMemberInfo(m.memberId(),
                    m.clientId(), m.clientHost(), partitionsOf(m.assignment(), image))).toList()));
        });
    }

    /** The named partitions of a consumer group assignment; topics deleted since are left out. */
    private static List<TopicPartition> partitionsOf(Assignment assignment, MetadataImage image) {
        List<TopicPartition> result = new ArrayList<>();
        if (assignment == null) {
            return result;
        }
        assignment.topics().forEach(id -> image.topic(id).ifPresent(topic ->
                assignment.partitions(id).forEach(p -> result.add(new TopicPartition(topic.name(), p)))));
        return sortedPartitions(result);
    }

    private static List<TopicPartition> sortedPartitions(List<TopicPartition> partitions) {
        return partitions.stream().sorted(PARTITION_ORDER).toList();
    }

    private static List<GroupMemberInfo> sorted(List<GroupMemberInfo> members) {
        return members.stream().sorted(Comparator.comparing(GroupMemberInfo::memberId)).toList();
    }
}
