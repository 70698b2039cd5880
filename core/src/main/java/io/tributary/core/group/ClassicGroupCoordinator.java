package io.tributary.core.group;

import io.tributary.core.group.ClassicMessages.HeartbeatRequest;
import io.tributary.core.group.ClassicMessages.JoinRequest;
import io.tributary.core.group.ClassicMessages.JoinResult;
import io.tributary.core.group.ClassicMessages.JoinedMember;
import io.tributary.core.group.ClassicMessages.LeaveRequest;
import io.tributary.core.group.ClassicMessages.LeaveResult;
import io.tributary.core.group.ClassicMessages.MemberIdentity;
import io.tributary.core.group.ClassicMessages.MemberLeft;
import io.tributary.core.group.ClassicMessages.SyncRequest;
import io.tributary.core.group.ClassicMessages.SyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.tributary.core.group.ClassicGroupState.COMPLETING_REBALANCE;
import static io.tributary.core.group.ClassicGroupState.EMPTY;
import static io.tributary.core.group.ClassicGroupState.PREPARING_REBALANCE;
import static io.tributary.core.group.ClassicGroupState.STABLE;

/**
 * The classic group protocol of one shard, following Kafka's coordinator: JoinGroup responses are
 * parked until every member has rejoined (or the rebalance timeout, or for a new group the initial
 * delay), SyncGroup responses until the leader sends the assignment, and members that stop
 * heartbeating are removed when their session times out. Runs on the shard's owner context.
 */
final class ClassicGroupCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(ClassicGroupCoordinator.class);

    private final ShardState state;
    private final ShardWriter writer;
    private final Scheduler scheduler;
    private final GroupConfig config;

    ClassicGroupCoordinator(ShardState state, ShardWriter writer, Scheduler scheduler, GroupConfig config) {
        this.state = state;
        this.writer = writer;
        this.scheduler = scheduler;
        this.config = config;
    }

    // ---- JoinGroup

    Future<JoinResult> join(JoinRequest r) {
        if (r.groupId() == null || r.groupId().isEmpty()) {
            return joinError(GroupError.INVALID_GROUP_ID, r.memberId());
        }
        if (r.sessionTimeoutMs() < config.minSessionTimeoutMs() || r.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
            return joinError(GroupError.INVALID_SESSION_TIMEOUT, r.memberId());
        }
        Group existing = state.group(r.groupId());
        if (existing instanceof ConsumerGroup consumerGroup) {
            if (!consumerGroup.isEmpty()) {
                return joinError(GroupError.INCONSISTENT_GROUP_PROTOCOL, r.memberId());
            }
            // An empty consumer-protocol group turns into a classic one; its offsets stay.
            try {
                writer.write(CoordinatorRecords.consumerGroupTombstone(r.groupId()));
            } catch (CoordinatorWriteException e) {
                return joinError(GroupError.COORDINATOR_NOT_AVAILABLE, r.memberId());
            }
            state.remove(r.groupId());
            existing = null;
        }
        ClassicGroup group;
        if (existing == null) {
            if (!r.memberId().isEmpty()) {
                return joinError(GroupError.UNKNOWN_MEMBER_ID, r.memberId());
            }
            group = new ClassicGroup(r.groupId());
            state.put(group);
        } else {
            group = (ClassicGroup) existing;
        }
        if (!group.supportsProtocols(r.protocolType(), r.protocols())) {
            dropIfUnused(group);
            return joinError(GroupError.INCONSISTENT_GROUP_PROTOCOL, r.memberId());
        }
        return r.memberId().isEmpty() ? joinNewMember(group, r) : joinKnownMember(group, r);
    }

    private Future<JoinResult> joinNewMember(ClassicGroup group, JoinRequest r) {
        if (group.size() >= config.maxGroupSize()) {
            return joinError(GroupError.GROUP_MAX_SIZE_REACHED, r.memberId());
        }
        String memberId = (r.clientId() == null ? "" : r.clientId()) + "-" + UUID.randomUUID();
        if (r.instanceId() != null) {
            return joinStatic(group, r, memberId);
        }
        if (r.requireKnownMemberId()) {
            // KIP-394: the member learns its id first, so a join retried after a timeout is not a new member.
            long timer = scheduler.schedule(r.sessionTimeoutMs(), () -> expirePending(group, memberId));
            group.addPending(memberId, timer);
            return joinError(GroupError.MEMBER_ID_REQUIRED, memberId);
        }
        return addMemberAndRebalance(group, r, memberId);
    }

    /** A static member (group.instance.id) joining with a fresh member id replaces its earlier incarnation. */
    private Future<JoinResult> joinStatic(ClassicGroup group, JoinRequest r, String memberId) {
        String oldId = group.staticMemberId(r.instanceId());
        if (oldId == null) {
            return addMemberAndRebalance(group, r, memberId);
        }
        ClassicMember old = group.member(oldId);
        scheduler.cancel(old.sessionTimer);
        old.completeJoin(JoinResult.error(GroupError.FENCED_INSTANCE_ID, oldId));
        old.completeSync(SyncResult.error(GroupError.FENCED_INSTANCE_ID));
        boolean wasLeader = group.isLeader(oldId);
        ClassicMember member = newMember(memberId, r);
        group.replaceStatic(oldId, member);
        LOG.info("Static member {} of group {} rejoined as {}", r.instanceId(), group.groupId(), memberId);
        // As in Kafka, only a change of the group's protocol calls for a rebalance. The member's metadata usually
        // differs from its last join (a restarted consumer owns no partitions yet); a rebalance for that would undo
        // what static membership is for.
        boolean protocolKept = group.protocolName() != null && group.protocolName().equals(group.selectProtocol());
        if (group.isIn(STABLE) && protocolKept) {
            // Nothing changed for the group: keep the generation and hand the old assignment over.
            try {
                writer.write(CoordinatorRecords.classicGroup(group));
            } catch (CoordinatorWriteException e) {
                return joinError(GroupError.COORDINATOR_NOT_AVAILABLE, memberId);
            }
            scheduleSession(group, member);
            return Future.succeededFuture(staticRejoinResult(group, member, oldId, wasLeader, r.supportsSkipAssignment()));
        }
        return updateAndRebalance(group, member, r);
    }

    /**
     * The JoinGroup answer to a static member that rejoined a stable group without changing anything: the current
     * generation, and SyncGroup then hands it its old assignment. A rejoining leader is, as in Kafka (KIP-814), told
     * the members and to skip assigning (JoinGroup v9+); an older client cannot be told that, so it is named a
     * follower (the leader id it gets is its old member id) and syncs like one.
     */
    private static JoinResult staticRejoinResult(ClassicGroup group, ClassicMember member, String oldId,
                                                 boolean wasLeader, boolean supportsSkipAssignment) {
        String memberId = member.memberId();
        if (!wasLeader) {
            return new JoinResult(GroupError.NONE, group.generation(), group.protocolType(), group.protocolName(),
                    group.leaderId(), memberId, List.of(), false);
        }
        if (!supportsSkipAssignment) {
            return new JoinResult(GroupError.NONE, group.generation(), group.protocolType(), group.protocolName(),
                    oldId, memberId, List.of(), false);
        }
        // replaceStatic made it the leader: joinResult lists the members for it.
        return new JoinResult(GroupError.NONE, group.generation(), group.protocolType(), group.protocolName(),
                memberId, memberId, joinResult(group, member).members(), true);
    }

    private Future<JoinResult> joinKnownMember(ClassicGroup group, JoinRequest r) {
        String memberId = r.memberId();
        Long pending = group.removePending(memberId);
        if (pending != null) {
            scheduler.cancel(pending);
            return addMemberAndRebalance(group, r, memberId);
        }
        ClassicMember member = group.member(memberId);
        GroupError invalid = validateMember(group, member, memberId, r.instanceId());
        if (invalid != GroupError.NONE) {
            return joinError(invalid, memberId);
        }
        switch (group.state()) {
            case PREPARING_REBALANCE:
                return updateAndRebalance(group, member, r);
            case COMPLETING_REBALANCE:
                if (member.sameProtocols(r.protocols())) {
                    // The JoinGroup response got lost: send it again.
                    scheduleSession(group, member);
                    return Future.succeededFuture(joinResult(group, member));
                }
                return updateAndRebalance(group, member, r);
            case STABLE:
                // A join from the leader forces a rebalance: it may have seen a change the metadata does not show.
                if (group.isLeader(memberId) || !member.sameProtocols(r.protocols())) {
                    return updateAndRebalance(group, member, r);
                }
                scheduleSession(group, member);
                return Future.succeededFuture(new JoinResult(GroupError.NONE, group.generation(), group.protocolType(),
                        group.protocolName(), group.leaderId(), memberId, List.of(), false));
            default:
                return joinError(GroupError.UNKNOWN_MEMBER_ID, memberId);
        }
    }

    private ClassicMember newMember(String memberId, JoinRequest r) {
        return new ClassicMember(memberId, r.instanceId(), r.clientId(), r.clientHost(), r.sessionTimeoutMs(),
                r.rebalanceTimeoutMs(), r.protocols());
    }

    private Future<JoinResult> addMemberAndRebalance(ClassicGroup group, JoinRequest r, String memberId) {
        ClassicMember member = newMember(memberId, r);
        if (group.isEmpty()) {
            group.setProtocolType(r.protocolType());
        }
        group.add(member);
        group.newMemberAdded = true;
        Promise<JoinResult> promise = Promise.promise();
        member.awaitingJoin = promise;
        scheduleSession(group, member);
        if (group.isIn(PREPARING_REBALANCE)) {
            maybeCompleteJoin(group);
        } else {
            prepareRebalance(group, "member " + memberId + " joined");
        }
        return promise.future();
    }

    private Future<JoinResult> updateAndRebalance(ClassicGroup group, ClassicMember member, JoinRequest r) {
        member.protocols = List.copyOf(r.protocols());
        member.sessionTimeoutMs = r.sessionTimeoutMs();
        member.rebalanceTimeoutMs = r.rebalanceTimeoutMs();
        member.clientId = r.clientId();
        member.clientHost = r.clientHost();
        member.completeJoin(JoinResult.error(GroupError.REBALANCE_IN_PROGRESS, member.memberId()));
        Promise<JoinResult> promise = Promise.promise();
        member.awaitingJoin = promise;
        scheduleSession(group, member);
        if (group.isIn(PREPARING_REBALANCE)) {
            maybeCompleteJoin(group);
        } else {
            prepareRebalance(group, "member " + member.memberId() + " rejoined");
        }
        return promise.future();
    }

    private void prepareRebalance(ClassicGroup group, String reason) {
        if (group.isIn(COMPLETING_REBALANCE)) {
            for (ClassicMember m : group.members()) {
                m.assignment = ClassicMember.NO_BYTES;
                m.completeSync(SyncResult.error(GroupError.REBALANCE_IN_PROGRESS));
            }
        }
        scheduler.cancel(group.syncTimer);
        group.syncTimer = -1;
        boolean initial = group.isIn(EMPTY);
        group.transitionTo(PREPARING_REBALANCE);
        LOG.info("Preparing to rebalance group {} in generation {}: {}", group.groupId(), group.generation(), reason);
        int rebalanceTimeout = group.maxRebalanceTimeoutMs();
        if (initial && config.initialRebalanceDelayMs() > 0) {
            long delay = Math.min(config.initialRebalanceDelayMs(), rebalanceTimeout);
            group.initialDelayActive = true;
            group.newMemberAdded = false;
            scheduleInitialDelay(group, delay, Math.max(rebalanceTimeout - delay, 0));
        } else {
            group.rebalanceTimer = scheduler.schedule(rebalanceTimeout, () -> {
                if (state.group(group.groupId()) == group && group.isIn(PREPARING_REBALANCE)) {
                    completeJoin(group);
                }
            });
            maybeCompleteJoin(group);
        }
    }

    /** A new group waits for more members; every join during the wait extends it, up to the rebalance timeout. */
    private void scheduleInitialDelay(ClassicGroup group, long delay, long remaining) {
        group.rebalanceTimer = scheduler.schedule(delay, () -> {
            if (state.group(group.groupId()) != group || !group.isIn(PREPARING_REBALANCE)) {
                return;
            }
            if (group.newMemberAdded && remaining > 0) {
                group.newMemberAdded = false;
                long next = Math.min(config.initialRebalanceDelayMs(), remaining);
                scheduleInitialDelay(group, next, remaining - next);
            } else {
                group.initialDelayActive = false;
                completeJoin(group);
            }
        });
    }

    private void maybeCompleteJoin(ClassicGroup group) {
        if (group.isIn(PREPARING_REBALANCE) && !group.initialDelayActive && group.allMembersJoined()) {
            completeJoin(group);
        }
    }

    private void completeJoin(ClassicGroup group) {
        scheduler.cancel(group.rebalanceTimer);
        group.rebalanceTimer = -1;
        group.initialDelayActive = false;
        for (ClassicMember m : new ArrayList<>(group.members())) {
            if (!m.isAwaitingJoin()) {
                LOG.info("Removing member {} from group {}: it did not rejoin in time", m.memberId(), group.groupId());
                removeMember(group, m);
            }
        }
        group.initNextGeneration();
        if (group.isIn(EMPTY)) {
            LOG.info("Group {} is empty in generation {}", group.groupId(), group.generation());
            persistQuietly(group);
            return;
        }
        LOG.info("Group {} starts generation {} with {} members (protocol {})", group.groupId(),
                group.generation(), group.size(), group.protocolName());
        for (ClassicMember m : group.members()) {
            m.completeJoin(joinResult(group, m));
            group.pendingSync.add(m.memberId());
            scheduleSession(group, m);
        }
        int generation = group.generation();
        // Members that got their JoinGroup response but never sync would block the group forever.
        group.syncTimer = scheduler.schedule(group.maxRebalanceTimeoutMs(), () -> {
            if (state.group(group.groupId()) != group || !group.isIn(COMPLETING_REBALANCE)
                    || group.generation() != generation) {
                return;
            }
            for (String memberId : new ArrayList<>(group.pendingSync)) {
                LOG.info("Removing member {} from group {}: no SyncGroup in time", memberId, group.groupId());
                removeMember(group, group.member(memberId));
            }
            prepareRebalance(group, "members did not sync in time");
        });
    }

    private static JoinResult joinResult(ClassicGroup group, ClassicMember member) {
        List<JoinedMember> members = new ArrayList<>();
        if (group.isLeader(member.memberId())) {
            for (ClassicMember m : group.members()) {
                members.add(new JoinedMember(m.memberId(), m.instanceId(), m.metadata(group.protocolName())));
            }
        }
        return new JoinResult(GroupError.NONE, group.generation(), group.protocolType(), group.protocolName(),
                group.leaderId(), member.memberId(), members, false);
    }

    private void expirePending(ClassicGroup group, String memberId) {
        if (state.group(group.groupId()) == group && group.removePending(memberId) != null) {
            maybeCompleteJoin(group);
            dropIfUnused(group);
        }
    }

    // ---- SyncGroup

    Future<SyncResult> sync(SyncRequest r) {
        ClassicGroup group = state.classic(r.groupId());
        if (group == null) {
            return syncError(GroupError.UNKNOWN_MEMBER_ID);
        }
        ClassicMember member = group.member(r.memberId());
        GroupError invalid = validateMember(group, member, r.memberId(), r.instanceId());
        if (invalid != GroupError.NONE) {
            return syncError(invalid);
        }
        if (r.generation() != group.generation()) {
            return syncError(GroupError.ILLEGAL_GENERATION);
        }
        if ((r.protocolType() != null && !r.protocolType().equals(group.protocolType()))
                || (r.protocolName() != null && !r.protocolName().equals(group.protocolName()))) {
            return syncError(GroupError.INCONSISTENT_GROUP_PROTOCOL);
        }
        switch (group.state()) {
            case PREPARING_REBALANCE:
                return syncError(GroupError.REBALANCE_IN_PROGRESS);
            case COMPLETING_REBALANCE: {
                member.completeSync(SyncResult.error(GroupError.REBALANCE_IN_PROGRESS));
                Promise<SyncResult> promise = Promise.promise();
                member.awaitingSync = promise;
                group.pendingSync.remove(member.memberId());
                scheduleSession(group, member);
                if (group.isLeader(member.memberId())) {
                    applyAssignment(group, r.assignments());
                }
                return promise.future();
            }
            case STABLE:
                scheduleSession(group, member);
                return Future.succeededFuture(new SyncResult(GroupError.NONE, group.protocolType(),
                        group.protocolName(), member.assignment));
            default:
                return syncError(GroupError.UNKNOWN_MEMBER_ID);
        }
    }

    /** The leader's assignment: stored first, then handed to every member parked in SyncGroup. */
    private void applyAssignment(ClassicGroup group, Map<String, byte[]> assignments) {
        for (ClassicMember m : group.members()) {
            byte[] a = assignments.get(m.memberId());
            m.assignment = a == null ? ClassicMember.NO_BYTES : a;
        }
        try {
            writer.write(CoordinatorRecords.classicGroup(group));
        } catch (CoordinatorWriteException e) {
            LOG.warn("Could not store the assignment of group {}: {}", group.groupId(), e.getMessage());
            for (ClassicMember m : group.members()) {
                m.assignment = ClassicMember.NO_BYTES;
                m.completeSync(SyncResult.error(GroupError.COORDINATOR_NOT_AVAILABLE));
            }
            prepareRebalance(group, "the assignment could not be stored");
            return;
        }
        scheduler.cancel(group.syncTimer);
        group.syncTimer = -1;
        group.transitionTo(STABLE);
        for (ClassicMember m : group.members()) {
            m.completeSync(new SyncResult(GroupError.NONE, group.protocolType(), group.protocolName(), m.assignment));
        }
        LOG.info("Group {} is stable in generation {}", group.groupId(), group.generation());
    }

    // ---- Heartbeat

    GroupError heartbeat(HeartbeatRequest r) {
        ClassicGroup group = state.classic(r.groupId());
        if (group == null) {
            return GroupError.UNKNOWN_MEMBER_ID;
        }
        ClassicMember member = group.member(r.memberId());
        GroupError invalid = validateMember(group, member, r.memberId(), r.instanceId());
        if (invalid != GroupError.NONE) {
            return invalid;
        }
        if (r.generation() != group.generation()) {
            return GroupError.ILLEGAL_GENERATION;
        }
        scheduleSession(group, member);
        return group.isIn(PREPARING_REBALANCE) ? GroupError.REBALANCE_IN_PROGRESS : GroupError.NONE;
    }

    // ---- LeaveGroup

    LeaveResult leave(LeaveRequest r) {
        ClassicGroup group = state.classic(r.groupId());
        List<MemberLeft> results = new ArrayList<>();
        boolean removed = false;
        for (MemberIdentity identity : r.members()) {
            GroupError error = group == null ? GroupError.UNKNOWN_MEMBER_ID : leaveOne(group, identity);
            removed |= error == GroupError.NONE;
            results.add(new MemberLeft(identity.memberId(), identity.instanceId(), error));
        }
        if (removed) {
            onMembersLeft(group, "members left");
        }
        return new LeaveResult(GroupError.NONE, results);
    }

    private GroupError leaveOne(ClassicGroup group, MemberIdentity identity) {
        String memberId = identity.memberId();
        if (identity.instanceId() != null) {
            String current = group.staticMemberId(identity.instanceId());
            if (current == null) {
                return GroupError.UNKNOWN_MEMBER_ID;
            }
            if (memberId != null && !memberId.isEmpty() && !memberId.equals(current)) {
                return GroupError.FENCED_INSTANCE_ID;
            }
            memberId = current;
        }
        Long pending = group.removePending(memberId);
        if (pending != null) {
            scheduler.cancel(pending);
            return GroupError.NONE;
        }
        ClassicMember member = group.member(memberId);
        if (member == null) {
            return GroupError.UNKNOWN_MEMBER_ID;
        }
        LOG.info("Member {} left group {}", memberId, group.groupId());
        removeMember(group, member);
        return GroupError.NONE;
    }

    // ---- sessions and removal

    private void scheduleSession(ClassicGroup group, ClassicMember member) {
        scheduler.cancel(member.sessionTimer);
        member.sessionTimer = scheduler.schedule(member.sessionTimeoutMs, () -> onSessionExpired(group, member));
    }

    /** Starts the session timers of members restored from the log: they must heartbeat to stay. */
    void onLoaded(ClassicGroup group) {
        for (ClassicMember m : group.members()) {
            scheduleSession(group, m);
        }
    }

    private void onSessionExpired(ClassicGroup group, ClassicMember member) {
        if (state.group(group.groupId()) != group || group.member(member.memberId()) != member) {
            return;
        }
        if (member.isAwaitingJoin() || member.isAwaitingSync()) {
            // A member parked in JoinGroup or SyncGroup cannot heartbeat; the rebalance timeouts cover it.
            scheduleSession(group, member);
            return;
        }
        LOG.info("Member {} of group {} has not heartbeat in {} ms: removing it", member.memberId(),
                group.groupId(), member.sessionTimeoutMs);
        removeMember(group, member);
        onMembersLeft(group, "the session of member " + member.memberId() + " expired");
    }

    private void removeMember(ClassicGroup group, ClassicMember member) {
        scheduler.cancel(member.sessionTimer);
        member.completeJoin(JoinResult.error(GroupError.UNKNOWN_MEMBER_ID, member.memberId()));
        member.completeSync(SyncResult.error(GroupError.UNKNOWN_MEMBER_ID));
        group.remove(member.memberId());
    }

    private void onMembersLeft(ClassicGroup group, String reason) {
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(group, reason);
            case PREPARING_REBALANCE -> maybeCompleteJoin(group);
            default -> {
            }
        }
    }

    /** Kafka's member validation: known member id, and the instance id that member registered with. */
    private static GroupError validateMember(ClassicGroup group, ClassicMember member, String memberId,
                                             String instanceId) {
        if (instanceId != null) {
            String current = group.staticMemberId(instanceId);
            if (current == null) {
                return GroupError.UNKNOWN_MEMBER_ID;
            }
            if (!current.equals(memberId)) {
                return GroupError.FENCED_INSTANCE_ID;
            }
        }
        return member == null ? GroupError.UNKNOWN_MEMBER_ID : GroupError.NONE;
    }

    static GroupError validateForCommit(ClassicGroup group, String memberId, String instanceId, int generation) {
        if (generation < 0 && group.isIn(EMPTY)) {
            // The admin client, or a consumer without group management: allowed while nobody is a member.
            return GroupError.NONE;
        }
        if (generation >= 0 || (memberId != null && !memberId.isEmpty()) || instanceId != null) {
            GroupError invalid = validateMember(group, memberId == null ? null : group.member(memberId), memberId,
                    instanceId);
            if (invalid != GroupError.NONE) {
                return invalid;
            }
            if (generation != group.generation()) {
                return GroupError.ILLEGAL_GENERATION;
            }
        } else if (!group.isIn(EMPTY)) {
            return GroupError.UNKNOWN_MEMBER_ID;
        }
        if (group.isIn(COMPLETING_REBALANCE)) {
            return GroupError.REBALANCE_IN_PROGRESS;
        }
        return GroupError.NONE;
    }

    private void persistQuietly(ClassicGroup group) {
        try {
            writer.write(CoordinatorRecords.classicGroup(group));
        } catch (CoordinatorWriteException e) {
            LOG.warn("Could not store group {}: {}", group.groupId(), e.getMessage());
        }
    }

    /** A group created by a join that failed, with no members and no offsets, is forgotten again. */
    private void dropIfUnused(ClassicGroup group) {
        if (group.isEmpty() && group.isIn(EMPTY) && group.generation() == 0 && !group.hasPendingMembers()
                && !state.offsets.hasOffsets(group.groupId())) {
            state.remove(group.groupId());
        }
    }

    private static Future<JoinResult> joinError(GroupError error, String memberId) {
        return Future.succeededFuture(JoinResult.error(error, memberId));
    }

    private static Future<SyncResult> syncError(GroupError error) {
        return Future.succeededFuture(SyncResult.error(error));
    }
}
