package io.tributary.core.group;

import io.tributary.core.group.AdminMessages.GroupDescription;
import io.tributary.core.group.AdminMessages.GroupListing;
import io.tributary.core.group.AdminMessages.MemberDescription;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** ListGroups, DescribeGroups, ConsumerGroupDescribe and DeleteGroups on one shard. Owner context only. */
final class GroupAdmin {

    private final ShardState state;
    private final ShardWriter writer;
    private final SubscribedTopics subscriptions;

    GroupAdmin(ShardState state, ShardWriter writer, SubscribedTopics subscriptions) {
        this.state = state;
        this.writer = writer;
        this.subscriptions = subscriptions;
    }

    /** Groups whose state and type pass the filters (empty filter: all; states compare case-insensitively). */
    List<GroupListing> list(Set<String> states, Set<String> types) {
        Set<String> lowerStates = states.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        Set<String> lowerTypes = types.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        List<GroupListing> result = new ArrayList<>();
        for (Group g : state.groups()) {
            if (!lowerStates.isEmpty() && !lowerStates.contains(g.stateName().toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (!lowerTypes.isEmpty() && !lowerTypes.contains(g.type().protocolName())) {
                continue;
            }
            result.add(new GroupListing(g.groupId(), g.protocolType(), g.stateName(), g.type()));
        }
        return result;
    }

    GroupDescription describe(String groupId, boolean notFoundIsError) {
        Group group = state.group(groupId);
        if (group == null) {
            return GroupDescription.dead(groupId, notFoundIsError ? GroupError.GROUP_ID_NOT_FOUND : GroupError.NONE);
        }
        List<MemberDescription> members = new ArrayList<>();
        if (group instanceof ClassicGroup classic) {
            boolean stable = classic.isIn(ClassicGroupState.STABLE);
            for (ClassicMember m : classic.members()) {
                byte[] metadata = stable ? m.metadata(classic.protocolName()) : null;
                members.add(new MemberDescription(m.memberId(), m.instanceId(), m.clientId, m.clientHost,
                        metadata == null ? ClassicMember.NO_BYTES : metadata,
                        stable ? m.assignment : ClassicMember.NO_BYTES));
            }
            return new GroupDescription(groupId, GroupError.NONE, classic.stateName(), classic.protocolType(),
                    stable ? classic.protocolName() : "", members);
        }
        ConsumerGroup consumer = (ConsumerGroup) group;
        for (ConsumerMember m : consumer.members()) {
            members.add(new MemberDescription(m.memberId(), m.instanceId, m.clientId, m.clientHost,
                    ClassicMember.NO_BYTES, ClassicMember.NO_BYTES));
        }
        return new GroupDescription(groupId, GroupError.NONE, consumer.stateName(), consumer.protocolType(),
                consumer.assignorName == null ? "" : consumer.assignorName, members);
    }

    ConsumerMessages.GroupDescription describeConsumerGroup(String groupId) {
        Group group = state.group(groupId);
        if (group == null) {
            return ConsumerMessages.GroupDescription.error(groupId, GroupError.GROUP_ID_NOT_FOUND,
                    "Group " + groupId + " not found.");
        }
        if (!(group instanceof ConsumerGroup consumer)) {
            return ConsumerMessages.GroupDescription.error(groupId, GroupError.GROUP_ID_NOT_FOUND,
                    "Group " + groupId + " is not a consumer group.");
        }
        List<ConsumerMessages.MemberDescription> members = new ArrayList<>();
        for (ConsumerMember m : consumer.members()) {
            members.add(new ConsumerMessages.MemberDescription(m.memberId(), m.instanceId, m.rackId, m.memberEpoch,
                    m.clientId, m.clientHost, m.subscribedTopicNames, m.subscribedTopicRegex, m.assigned,
                    consumer.targetOf(m.memberId())));
        }
        return new ConsumerMessages.GroupDescription(groupId, GroupError.NONE, null, consumer.stateName(),
                consumer.groupEpoch, consumer.assignmentEpoch,
                consumer.assignorName == null ? "uniform" : consumer.assignorName, members);
    }

    /** Deletes an empty group and its offsets. */
    GroupError delete(String groupId) {
        Group group = state.group(groupId);
        if (group == null) {
            return GroupError.GROUP_ID_NOT_FOUND;
        }
        boolean empty = group instanceof ClassicGroup classic ? classic.isIn(ClassicGroupState.EMPTY) : group.isEmpty();
        if (!empty) {
            return GroupError.NON_EMPTY_GROUP;
        }
        List<KeyValue> records = new ArrayList<>();
        for (TopicPartition tp : state.offsets.of(groupId).keySet()) {
            records.add(CoordinatorRecords.offset(groupId, tp, null));
        }
        records.add(group instanceof ClassicGroup ? CoordinatorRecords.classicGroupTombstone(groupId)
                : CoordinatorRecords.consumerGroupTombstone(groupId));
        try {
            writer.write(records);
        } catch (CoordinatorWriteException e) {
            return GroupError.COORDINATOR_NOT_AVAILABLE;
        }
        if (group instanceof ClassicGroup classic) {
            classic.markDead();
        }
        group.shutdown(GroupError.COORDINATOR_NOT_AVAILABLE);
        state.remove(groupId);
        state.offsets.removeGroup(groupId);
        return GroupError.NONE;
    }
}
