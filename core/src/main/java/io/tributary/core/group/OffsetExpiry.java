package io.tributary.core.group;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kafka's offset retention on one shard: every {@code offsets.retention.check.interval.ms}, committed offsets a
 * group no longer needs are tombstoned once {@code offsets.retention.minutes} have passed, and an empty group left
 * without offsets is deleted. Which offsets may expire, and counted from when, is Kafka's rule:
 * <ul>
 *   <li>a group that only commits (no group management): all, from their commit;</li>
 *   <li>an empty classic group: all, from when the group became empty;</li>
 *   <li>a stable classic group of consumers, and a consumer-protocol group: those of topics no member subscribes
 *       to, from their commit;</li>
 *   <li>a classic group that is rebalancing: none.</li>
 * </ul>
 * Offsets a transaction still holds stay. Owner context only.
 */
final class OffsetExpiry {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetExpiry.class);

    private final String shardName;
    private final ShardState state;
    private final ShardWriter writer;
    private final Scheduler scheduler;
    private final GroupConfig config;
    private final SubscribedTopics subscriptions;
    private final GroupAdmin admin;
    /**
     * When each empty classic group was first seen empty by a check. Kafka stores the time of the group's last
     * state change; seeing it here instead keeps offsets up to one check longer, and after a restart a group's
     * empty time starts again, so offsets are never removed sooner than Kafka would.
     */
    private final Map<String, Long> emptySince = new HashMap<>();
    private long timer = -1;

    OffsetExpiry(String shardName, ShardState state, ShardWriter writer, Scheduler scheduler, GroupConfig config,
                 SubscribedTopics subscriptions, GroupAdmin admin) {
        this.shardName = shardName;
        this.state = state;
        this.writer = writer;
        this.scheduler = scheduler;
        this.config = config;
        this.subscriptions = subscriptions;
        this.admin = admin;
    }

    /** Checks every interval from now on, until {@link #stop}. */
    void start() {
        timer = scheduler.schedule(config.offsetsRetentionCheckIntervalMs(), () -> {
            run();
            start();
        });
    }

    void stop() {
        scheduler.cancel(timer);
        timer = -1;
        emptySince.clear();
    }

    /** One check: removes the expired offsets and deletes empty groups that have none left. */
    void run() {
        long now = scheduler.nowMs();
        int expired = 0;
        int deleted = 0;
        List<Group> groups = new ArrayList<>(state.groups());
        emptySince.keySet().retainAll(groups.stream().map(Group::groupId).toList());
        for (Group group : groups) {
            String groupId = group.groupId();
            if (isEmptyClassic(group)) {
                emptySince.putIfAbsent(groupId, now);
            } else {
                emptySince.remove(groupId);
            }
            try {
                expired += expire(group, now);
            } catch (CoordinatorWriteException e) {
                LOG.warn("Could not remove expired offsets of group {}: {}", groupId, e.getMessage());
                continue;
            }
            boolean empty = group instanceof ClassicGroup ? isEmptyClassic(group) : group.isEmpty();
            if (empty && !state.offsets.hasOffsets(groupId) && !state.pendingTxnOffsets.hasPending(groupId)) {
                GroupError error = admin.delete(groupId);
                if (error == GroupError.NONE) {
                    emptySince.remove(groupId);
                    deleted++;
                } else {
                    LOG.warn("Could not delete empty group {} without offsets: {}", groupId, error);
                }
            }
        }
        if (expired > 0 || deleted > 0) {
            LOG.info("Removed {} expired offsets and {} empty groups without offsets in {}", expired, deleted,
                    shardName);
        }
    }

    /** Tombstones the group's expired offsets; returns how many. */
    private int expire(Group group, long now) throws CoordinatorWriteException {
        String groupId = group.groupId();
        Map<TopicPartition, CommittedOffset> offsets = state.offsets.of(groupId);
        if (offsets.isEmpty()) {
            return 0;
        }
        Set<String> kept;
        Long base = null;
        if (group instanceof ConsumerGroup consumer) {
            kept = subscriptions.of(consumer);
        } else {
            ClassicGroup classic = (ClassicGroup) group;
            if (classic.protocolType().isEmpty()) {
                kept = Set.of();
            } else if (classic.isIn(ClassicGroupState.EMPTY)) {
                kept = Set.of();
                base = emptySince.get(groupId);
            } else if ("consumer".equals(classic.protocolType()) && classic.isIn(ClassicGroupState.STABLE)) {
                kept = subscriptions.of(classic);
            } else {
                return 0;
            }
        }
        List<TopicPartition> expired = new ArrayList<>();
        List<KeyValue> tombstones = new ArrayList<>();
        for (Map.Entry<TopicPartition, CommittedOffset> entry : offsets.entrySet()) {
            TopicPartition tp = entry.getKey();
            long from = base != null ? base : entry.getValue().commitTimestampMs();
            if (!kept.contains(tp.topic()) && now - from >= config.offsetsRetentionMs()
                    && !state.pendingTxnOffsets.hasPending(groupId, tp)) {
                expired.add(tp);
                tombstones.add(CoordinatorRecords.offset(groupId, tp, null));
            }
        }
        writer.write(tombstones);
        expired.forEach(tp -> state.offsets.remove(groupId, tp));
        return expired.size();
    }

    private static boolean isEmptyClassic(Group group) {
        return group instanceof ClassicGroup classic && classic.isIn(ClassicGroupState.EMPTY);
    }
}
