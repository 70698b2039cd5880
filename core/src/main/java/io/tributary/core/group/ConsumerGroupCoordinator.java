package io.tributary.core.group;

import io.tributary.core.group.ConsumerMessages.HeartbeatRequest;
import io.tributary.core.group.ConsumerMessages.HeartbeatResult;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The consumer group protocol (KIP-848) of one shard: every heartbeat carries a member's state, the
 * broker bumps the group epoch on membership, subscription or metadata changes, computes the target
 * assignment with a server-side assignor and moves each member towards it ({@link Reconciler}).
 * Sessions are broker-side: a member that stops heartbeating is removed. Owner context only.
 */
final class ConsumerGroupCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupCoordinator.class);

    private final ShardState state;
    private final ShardWriter writer;
    private final Scheduler scheduler;
    private final GroupConfig config;
    private final TopicLookup topics;
    private final SubscribedTopics subscriptions;
    private final Map<String, PartitionAssignor> assignors = new HashMap<>();

    ConsumerGroupCoordinator(ShardState state, ShardWriter writer, Scheduler scheduler, GroupConfig config,
                             TopicLookup topics, SubscribedTopics subscriptions) {
        this.state = state;
        this.writer = writer;
        this.scheduler = scheduler;
        this.config = config;
        this.topics = topics;
        this.subscriptions = subscriptions;
        for (PartitionAssignor a : List.of(new UniformAssignor(), new RangeAssignor())) {
            if (config.consumerAssignors().contains(a.name())) {
                assignors.put(a.name(), a);
            }
        }
    }

    HeartbeatResult heartbeat(HeartbeatRequest r) {
        String invalid = validate(r);
        if (invalid != null) {
            return HeartbeatResult.error(GroupError.INVALID_REQUEST, invalid);
        }
        if (r.serverAssignor() != null && !assignors.containsKey(r.serverAssignor())) {
            return HeartbeatResult.error(GroupError.UNSUPPORTED_ASSIGNOR,
                    "Assignor " + r.serverAssignor() + " is not supported. Supported assignors: " + assignors.keySet());
        }
        Group existing = state.group(r.groupId());
        if (existing instanceof ClassicGroup classic) {
            if (!classic.isEmpty() || r.memberEpoch() != 0) {
                return HeartbeatResult.error(classic.isEmpty() ? GroupError.UNKNOWN_MEMBER_ID : GroupError.GROUP_ID_NOT_FOUND,
                        "Group " + r.groupId() + " is not a consumer group.");
            }
            // An empty classic group (offsets only) becomes a consumer group; its offsets stay.
            try {
                writer.write(CoordinatorRecords.classicGroupTombstone(r.groupId()));
            } catch (CoordinatorWriteException e) {
                return HeartbeatResult.error(GroupError.COORDINATOR_NOT_AVAILABLE, e.getMessage());
            }
            state.remove(r.groupId());
            existing = null;
        }
        ConsumerGroup group = (ConsumerGroup) existing;
        boolean created = false;
        if (group == null) {
            if (r.memberEpoch() != 0) {
                return HeartbeatResult.error(GroupError.UNKNOWN_MEMBER_ID, "Group " + r.groupId() + " not found.");
            }
            group = new ConsumerGroup(r.groupId());
            created = true;
        }
        if (r.memberEpoch() < 0) {
            return leave(group, r);
        }
        ConsumerMember member;
        // Every change in one heartbeat (join, subscription, topic metadata) bumps the group epoch once.
        boolean bump = false;
        if (r.memberEpoch() == 0) {
            String memberId = r.clientGeneratesMemberId() ? r.memberId() : UUID.randomUUID().toString();
            ConsumerMember holder = group.staticMember(r.instanceId());
            if (holder != null && !holder.memberId().equals(memberId)) {
                if (!holder.hasLeftStatically()) {
                    return HeartbeatResult.error(GroupError.UNRELEASED_INSTANCE_ID, "Static member with instance id "
                            + r.instanceId() + " is still active in group " + r.groupId() + ".");
                }
                member = takeOver(group, holder, memberId);
            } else {
                ConsumerMember previous = group.member(memberId);
                if (previous != null) {
                    // A fenced member rejoining starts afresh.
                    removeMember(group, previous);
                } else if (group.members.size() >= config.maxGroupSize()) {
                    return HeartbeatResult.error(GroupError.GROUP_MAX_SIZE_REACHED,
                            "The consumer group has reached its maximum capacity of " + config.maxGroupSize()
                                    + " members.");
                }
                member = new ConsumerMember(memberId);
                group.members.put(memberId, member);
                bump = true;
                LOG.info("Member {} joined consumer group {}", memberId, group.groupId());
            }
        } else {
            member = group.member(r.memberId());
            if (member == null) {
                return HeartbeatResult.error(GroupError.UNKNOWN_MEMBER_ID, "Member " + r.memberId()
                        + " is not a member of group " + r.groupId() + ".");
            }
            GroupError fenced = checkEpoch(member, r);
            if (fenced != GroupError.NONE) {
                return HeartbeatResult.error(fenced, "The consumer group member has a smaller or larger member "
                        + "epoch (" + r.memberEpoch() + ") than the one known by the group coordinator ("
                        + member.memberEpoch + "). The member must abandon all its partitions and rejoin.");
            }
        }
        int epochBefore = member.memberEpoch;
        Assignment assignedBefore = member.assigned;
        MemberState stateBefore = member.state;
        int groupEpochBefore = group.groupEpoch;
        bump |= update(member, r);
        bump |= refreshMetadata(group);
        if (bump) {
            group.groupEpoch++;
        }
        if (group.groupEpoch > group.assignmentEpoch) {
            computeTarget(group);
        }
        Reconciler.reconcile(group, member, r.owned());
        manageRevocationTimer(group, member);
        scheduleSession(group, member);
        boolean changed = created || r.memberEpoch() == 0 || group.groupEpoch != groupEpochBefore
                || member.memberEpoch != epochBefore || !member.assigned.equals(assignedBefore)
                || member.state != stateBefore;
        if (created) {
            state.put(group);
        }
        if (changed && !persist(group)) {
            return HeartbeatResult.error(GroupError.COORDINATOR_NOT_AVAILABLE, "The group could not be stored.");
        }
        boolean full = r.memberEpoch() == 0 || r.owned() != null || r.subscribedTopicNames() != null;
        Assignment assignment = full || member.memberEpoch != epochBefore || !member.assigned.equals(assignedBefore)
                ? member.assigned : null;
        return new HeartbeatResult(GroupError.NONE, null, member.memberId(), member.memberEpoch,
                config.consumerHeartbeatIntervalMs(), assignment);
    }

    /** Kafka's checks of a heartbeat request; returns the INVALID_REQUEST message, or null when valid. */
    private static String validate(HeartbeatRequest r) {
        if (r.groupId() == null || r.groupId().isEmpty()) {
            return "GroupId can't be empty.";
        }
        if (r.instanceId() != null && r.instanceId().isEmpty()) {
            return "InstanceId can't be empty.";
        }
        if (r.rackId() != null && r.rackId().isEmpty()) {
            return "RackId can't be empty.";
        }
        if ((r.clientGeneratesMemberId() || r.memberEpoch() != 0) && (r.memberId() == null || r.memberId().isEmpty())) {
            return "MemberId can't be empty.";
        }
        if (r.memberEpoch() == 0) {
            if (r.rebalanceTimeoutMs() == -1) {
                return "RebalanceTimeoutMs must be provided in first request.";
            }
            if (r.owned() == null || !r.owned().isEmpty()) {
                return "TopicPartitions must be empty when (re-)joining.";
            }
            if (r.subscribedTopicNames() == null && r.subscribedTopicRegex() == null) {
                return "SubscribedTopicNames or SubscribedTopicRegex must be set in first request.";
            }
        } else if (r.memberEpoch() == ConsumerMember.STATIC_LEFT_EPOCH && r.instanceId() == null) {
            return "InstanceId can't be null.";
        } else if (r.memberEpoch() < ConsumerMember.STATIC_LEFT_EPOCH) {
            return "MemberEpoch is invalid.";
        }
        if (r.subscribedTopicRegex() != null && !SubscribedTopics.isValidRegex(r.subscribedTopicRegex())) {
            return "SubscribedTopicRegex is not a valid regular expression: " + r.subscribedTopicRegex();
        }
        return null;
    }

    /** A member may repeat its previous epoch if its response got lost, as long as it owns nothing new. */
    private static GroupError checkEpoch(ConsumerMember member, HeartbeatRequest r) {
        if (member.hasLeftStatically() || r.memberEpoch() > member.memberEpoch) {
            return GroupError.FENCED_MEMBER_EPOCH;
        }
        if (r.memberEpoch() < member.memberEpoch) {
            boolean lostResponse = r.memberEpoch() == member.previousMemberEpoch && r.owned() != null
                    && member.assigned.containsAll(r.owned());
            return lostResponse ? GroupError.NONE : GroupError.FENCED_MEMBER_EPOCH;
        }
        return GroupError.NONE;
    }

    /** Applies the heartbeat's fields; true when the subscription changed. */
    private static boolean update(ConsumerMember member, HeartbeatRequest r) {
        boolean changed = false;
        member.instanceId = r.instanceId() != null ? r.instanceId() : member.instanceId;
        member.rackId = r.rackId() != null ? r.rackId() : member.rackId;
        member.clientId = r.clientId();
        member.clientHost = r.clientHost();
        if (r.rebalanceTimeoutMs() > 0) {
            member.rebalanceTimeoutMs = r.rebalanceTimeoutMs();
        }
        if (r.serverAssignor() != null) {
            member.serverAssignor = r.serverAssignor();
        }
        if (r.subscribedTopicNames() != null) {
            List<String> names = List.copyOf(new TreeSet<>(r.subscribedTopicNames()));
            if (!names.equals(member.subscribedTopicNames)) {
                member.subscribedTopicNames = names;
                changed = true;
            }
        }
        if (r.subscribedTopicRegex() != null) {
            String regex = r.subscribedTopicRegex().isEmpty() ? null : r.subscribedTopicRegex();
            if (!java.util.Objects.equals(regex, member.subscribedTopicRegex)) {
                member.subscribedTopicRegex = regex;
                changed = true;
            }
        }
        if (r.owned() != null) {
            member.owned = r.owned();
        }
        return changed;
    }

    /** A topic created, deleted or given more partitions changes the assignment: true when it did. */
    private boolean refreshMetadata(ConsumerGroup group) {
        Map<String, TopicLookup.TopicMetadata> now = new HashMap<>();
        for (String topic : subscriptions.of(group)) {
            TopicLookup.TopicMetadata t = topics.byName(topic);
            if (t != null) {
                now.put(topic, t);
            }
        }
        if (!now.equals(group.subscriptionMetadata)) {
            group.subscriptionMetadata = Map.copyOf(now);
            return true;
        }
        return false;
    }

    private void computeTarget(ConsumerGroup group) {
        Map<String, Set<Uuid>> subs = new TreeMap<>();
        Map<Uuid, Integer> partitions = new HashMap<>();
        group.subscriptionMetadata.values().forEach(t -> partitions.put(t.id(), t.partitions()));
        String preferred = null;
        for (ConsumerMember m : group.members()) {
            Set<Uuid> ids = new TreeSet<>();
            for (String name : subscriptions.of(m)) {
                TopicLookup.TopicMetadata t = group.subscriptionMetadata.get(name);
                if (t != null) {
                    ids.add(t.id());
                }
            }
            subs.put(m.memberId(), ids);
            if (preferred == null && m.serverAssignor != null) {
                preferred = m.serverAssignor;
            }
        }
        PartitionAssignor assignor = assignors.getOrDefault(preferred, assignors.get(config.defaultAssignor()));
        Map<String, Assignment> target = assignor.assign(subs, partitions, group.target);
        group.target.clear();
        group.target.putAll(target);
        group.assignmentEpoch = group.groupEpoch;
        group.assignorName = assignor.name();
        LOG.info("Consumer group {} has a new target assignment at epoch {} ({})", group.groupId(),
                group.assignmentEpoch, assignor.name());
    }

    private HeartbeatResult leave(ConsumerGroup group, HeartbeatRequest r) {
        ConsumerMember member = group.member(r.memberId());
        if (member == null) {
            return HeartbeatResult.error(GroupError.UNKNOWN_MEMBER_ID, "Member " + r.memberId()
                    + " is not a member of group " + r.groupId() + ".");
        }
        if (r.memberEpoch() == ConsumerMember.STATIC_LEFT_EPOCH) {
            // A static member keeps its partitions reserved until its session times out.
            member.previousMemberEpoch = member.memberEpoch;
            member.memberEpoch = ConsumerMember.STATIC_LEFT_EPOCH;
            scheduler.cancel(member.revocationTimer);
            scheduleSession(group, member);
        } else {
            LOG.info("Member {} left consumer group {}", member.memberId(), group.groupId());
            removeMember(group, member);
            group.groupEpoch++;
        }
        if (!persist(group)) {
            return HeartbeatResult.error(GroupError.COORDINATOR_NOT_AVAILABLE, "The group could not be stored.");
        }
        return new HeartbeatResult(GroupError.NONE, null, member.memberId(), r.memberEpoch(), 0, null);
    }

    /** A static member rejoining under a new member id takes over the partitions of its earlier incarnation. */
    private ConsumerMember takeOver(ConsumerGroup group, ConsumerMember old, String memberId) {
        ConsumerMember member = new ConsumerMember(memberId);
        member.instanceId = old.instanceId;
        member.memberEpoch = old.previousMemberEpoch;
        member.previousMemberEpoch = old.previousMemberEpoch;
        member.state = old.state;
        member.assigned = old.assigned;
        member.pendingRevocation = old.pendingRevocation;
        member.subscribedTopicNames = old.subscribedTopicNames;
        member.subscribedTopicRegex = old.subscribedTopicRegex;
        Assignment target = group.target.remove(old.memberId());
        removeMember(group, old);
        group.members.put(memberId, member);
        if (target != null) {
            group.target.put(memberId, target);
        }
        LOG.info("Static member {} of consumer group {} rejoined as {}", old.instanceId, group.groupId(), memberId);
        return member;
    }

    private void removeMember(ConsumerGroup group, ConsumerMember member) {
        scheduler.cancel(member.sessionTimer);
        scheduler.cancel(member.revocationTimer);
        group.members.remove(member.memberId());
        group.target.remove(member.memberId());
    }

    private void scheduleSession(ConsumerGroup group, ConsumerMember member) {
        scheduler.cancel(member.sessionTimer);
        member.sessionTimer = scheduler.schedule(config.consumerSessionTimeoutMs(), () -> {
            if (state.group(group.groupId()) == group && group.member(member.memberId()) == member) {
                LOG.info("Member {} of consumer group {} has not heartbeat in {} ms: removing it",
                        member.memberId(), group.groupId(), config.consumerSessionTimeoutMs());
                fence(group, member);
            }
        });
    }

    /** A member that does not confirm a revocation within its rebalance timeout is removed. */
    private void manageRevocationTimer(ConsumerGroup group, ConsumerMember member) {
        if (member.state != MemberState.UNREVOKED_PARTITIONS) {
            scheduler.cancel(member.revocationTimer);
            member.revocationTimer = -1;
            return;
        }
        if (member.revocationTimer >= 0) {
            return;
        }
        int epoch = member.memberEpoch;
        member.revocationTimer = scheduler.schedule(Math.max(1, member.rebalanceTimeoutMs), () -> {
            member.revocationTimer = -1;
            if (state.group(group.groupId()) == group && group.member(member.memberId()) == member
                    && member.state == MemberState.UNREVOKED_PARTITIONS && member.memberEpoch == epoch) {
                LOG.info("Member {} of consumer group {} did not revoke its partitions in {} ms: removing it",
                        member.memberId(), group.groupId(), member.rebalanceTimeoutMs);
                fence(group, member);
            }
        });
    }

    private void fence(ConsumerGroup group, ConsumerMember member) {
        removeMember(group, member);
        group.groupEpoch++;
        persist(group);
    }

    /** Starts the timers of members restored from the log. */
    void onLoaded(ConsumerGroup group) {
        for (ConsumerMember m : group.members()) {
            scheduleSession(group, m);
            manageRevocationTimer(group, m);
        }
    }

    private boolean persist(ConsumerGroup group) {
        try {
            writer.write(CoordinatorRecords.consumerGroup(group));
            return true;
        } catch (CoordinatorWriteException e) {
            LOG.warn("Could not store consumer group {}: {}", group.groupId(), e.getMessage());
            return false;
        }
    }
}
