package io.tributary.core.group;

import io.tributary.core.group.OffsetMessages.CommitRequest;
import io.tributary.core.group.OffsetMessages.CommitResult;
import io.tributary.core.group.OffsetMessages.DeleteRequest;
import io.tributary.core.group.OffsetMessages.DeleteResult;
import io.tributary.core.group.OffsetMessages.FetchRequest;
import io.tributary.core.group.OffsetMessages.FetchResult;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Committed offsets of one shard: validates who may commit (Kafka's rules for both protocols),
 * writes the offsets to the log before acknowledging them, answers fetches and deletes.
 */
final class OffsetManager {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetManager.class);

    private final ShardState state;
    private final ShardWriter writer;
    private final GroupConfig config;
    private final SubscribedTopics subscriptions;

    OffsetManager(ShardState state, ShardWriter writer, GroupConfig config, SubscribedTopics subscriptions) {
        this.state = state;
        this.writer = writer;
        this.config = config;
        this.subscriptions = subscriptions;
    }

    CommitResult commit(CommitRequest r) {
        if (r.groupId() == null || r.groupId().isEmpty()) {
            return new CommitResult(GroupError.INVALID_GROUP_ID, Map.of());
        }
        Group group = state.group(r.groupId());
        GroupError invalid;
        if (group == null) {
            if (r.generationOrEpoch() >= 0) {
                // Kafka answers a member of a group it does not know like this, by API version.
                return new CommitResult(r.modernApi() ? GroupError.GROUP_ID_NOT_FOUND : GroupError.ILLEGAL_GENERATION,
                        Map.of());
            }
            invalid = GroupError.NONE;
        } else if (group instanceof ClassicGroup classic) {
            invalid = ClassicGroupCoordinator.validateForCommit(classic, r.memberId(), r.instanceId(),
                    r.generationOrEpoch());
        } else {
            invalid = validateConsumerCommit((ConsumerGroup) group, r);
        }
        if (invalid != GroupError.NONE) {
            return new CommitResult(invalid, Map.of());
        }
        Map<TopicPartition, GroupError> errors = new HashMap<>();
        List<KeyValue> records = new ArrayList<>();
        Map<TopicPartition, CommittedOffset> accepted = new HashMap<>();
        r.offsets().forEach((tp, offset) -> {
            if (offset.metadata().length() > config.offsetMetadataMaxBytes()) {
                errors.put(tp, GroupError.OFFSET_METADATA_TOO_LARGE);
            } else {
                records.add(CoordinatorRecords.offset(r.groupId(), tp, offset));
                accepted.put(tp, offset);
            }
        });
        try {
            writer.write(records);
        } catch (CoordinatorWriteException e) {
            LOG.warn("Offset commit of group {} failed: {}", r.groupId(), e.getMessage());
            return new CommitResult(GroupError.COORDINATOR_NOT_AVAILABLE, Map.of());
        }
        if (group == null && !accepted.isEmpty()) {
            // A group that only commits (no group management) exists as an empty classic group, as in Kafka.
            state.put(new ClassicGroup(r.groupId()));
        }
        accepted.forEach((tp, offset) -> state.offsets.put(r.groupId(), tp, offset));
        return new CommitResult(GroupError.NONE, errors);
    }

    private static GroupError validateConsumerCommit(ConsumerGroup group, CommitRequest r) {
        if (r.generationOrEpoch() < 0 && group.isEmpty()) {
            return GroupError.NONE;
        }
        ConsumerMember member = r.memberId() == null ? null : group.member(r.memberId());
        if (member == null) {
            return GroupError.UNKNOWN_MEMBER_ID;
        }
        if (!r.modernApi()) {
            return GroupError.UNSUPPORTED_VERSION;
        }
        if (r.generationOrEpoch() > member.memberEpoch) {
            return GroupError.FENCED_MEMBER_EPOCH;
        }
        if (r.generationOrEpoch() < member.memberEpoch) {
            return GroupError.STALE_MEMBER_EPOCH;
        }
        return GroupError.NONE;
    }

    FetchResult fetch(FetchRequest r) {
        Group group = state.group(r.groupId());
        if (group instanceof ConsumerGroup consumer && (r.memberId() != null || r.memberEpoch() >= 0)) {
            ConsumerMember member = r.memberId() == null ? null : consumer.member(r.memberId());
            if (member == null) {
                return new FetchResult(GroupError.UNKNOWN_MEMBER_ID, Map.of());
            }
            if (r.memberEpoch() != member.memberEpoch) {
                return new FetchResult(GroupError.STALE_MEMBER_EPOCH, Map.of());
            }
        }
        Map<TopicPartition, CommittedOffset> offsets = new HashMap<>();
        java.util.Set<TopicPartition> unstable = new java.util.HashSet<>();
        if (r.partitions() == null) {
            offsets.putAll(state.offsets.of(r.groupId()));
        } else {
            for (TopicPartition tp : r.partitions()) {
                if (r.requireStable() && state.pendingTxnOffsets.hasPending(r.groupId(), tp)) {
                    unstable.add(tp);
                    continue;
                }
                CommittedOffset offset = state.offsets.get(r.groupId(), tp);
                if (offset != null) {
                    offsets.put(tp, offset);
                }
            }
        }
        return new FetchResult(GroupError.NONE, offsets, unstable);
    }

    DeleteResult delete(DeleteRequest r) {
        Group group = state.group(r.groupId());
        if (group == null) {
            return new DeleteResult(GroupError.GROUP_ID_NOT_FOUND, Map.of());
        }
        Set<String> subscribed = Set.of();
        if (group instanceof ClassicGroup classic && !classic.isEmpty()) {
            if (!"consumer".equals(classic.protocolType())) {
                return new DeleteResult(GroupError.NON_EMPTY_GROUP, Map.of());
            }
            subscribed = subscriptions.of(classic);
        } else if (group instanceof ConsumerGroup consumer) {
            subscribed = subscriptions.of(consumer);
        }
        Map<TopicPartition, GroupError> errors = new HashMap<>();
        List<KeyValue> records = new ArrayList<>();
        for (TopicPartition tp : r.partitions()) {
            if (subscribed.contains(tp.topic())) {
                errors.put(tp, GroupError.GROUP_SUBSCRIBED_TO_TOPIC);
            } else {
                errors.put(tp, GroupError.NONE);
                if (state.offsets.get(r.groupId(), tp) != null) {
                    records.add(CoordinatorRecords.offset(r.groupId(), tp, null));
                }
            }
        }
        try {
            writer.write(records);
        } catch (CoordinatorWriteException e) {
            return new DeleteResult(GroupError.COORDINATOR_NOT_AVAILABLE, Map.of());
        }
        errors.forEach((tp, error) -> {
            if (error == GroupError.NONE) {
                state.offsets.remove(r.groupId(), tp);
            }
        });
        return new DeleteResult(GroupError.NONE, errors);
    }

    /** Tombstones every offset of {@code topic} in this shard: the topic was deleted. */
    void onTopicDeleted(String topic) {
        List<KeyValue> records = new ArrayList<>();
        List<String[]> removed = new ArrayList<>();
        for (String groupId : new ArrayList<>(state.offsets.groupIds())) {
            for (TopicPartition tp : new ArrayList<>(state.offsets.of(groupId).keySet())) {
                if (tp.topic().equals(topic)) {
                    records.add(CoordinatorRecords.offset(groupId, tp, null));
                    removed.add(new String[]{groupId, String.valueOf(tp.partition())});
                }
            }
        }
        try {
            writer.write(records);
        } catch (CoordinatorWriteException e) {
            LOG.warn("Could not delete the offsets of deleted topic {}: {}", topic, e.getMessage());
            return;
        }
        for (String[] r : removed) {
            state.offsets.remove(r[0], new TopicPartition(topic, Integer.parseInt(r[1])));
        }
    }
}
