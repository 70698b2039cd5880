package io.tributary.core.group;

import io.tributary.core.group.ClassicMessages.HeartbeatRequest;
import io.tributary.core.group.ClassicMessages.JoinRequest;
import io.tributary.core.group.ClassicMessages.JoinResult;
import io.tributary.core.group.ClassicMessages.LeaveRequest;
import io.tributary.core.group.ClassicMessages.MemberIdentity;
import io.tributary.core.group.ClassicMessages.Protocol;
import io.tributary.core.group.ClassicMessages.SyncRequest;
import io.tributary.core.group.ClassicMessages.SyncResult;
import io.tributary.core.group.OffsetMessages.CommitRequest;
import io.tributary.core.group.OffsetMessages.FetchRequest;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The classic group protocol on one shard, on a manual clock: joins, syncs, timeouts, static members, offsets. */
class ClassicGroupCoordinatorTest {

    private static final String GROUP = "g";
    private final ShardFixture fixture = new ShardFixture();

    @Test
    void membersJoinRebalanceAndGetTheLeadersAssignment() {
        String m1 = joinNew("c1", null);
        JoinResult first = done(join(m1, null));
        assertThat(first.generation()).isEqualTo(1);
        assertThat(first.leaderId()).isEqualTo(m1);
        assertThat(first.members()).extracting(ClassicMessages.JoinedMember::memberId).containsExactly(m1);
        assertThat(done(sync(m1, 1, Map.of(m1, bytes("all")))).assignment()).isEqualTo(bytes("all"));

        String m2 = joinNew("c2", null);
        Future<JoinResult> secondJoin = join(m2, null);
        assertThat(secondJoin.isComplete()).as("parked until every member rejoined").isFalse();
        assertThat(heartbeat(m1, 1)).isEqualTo(GroupError.REBALANCE_IN_PROGRESS);
        JoinResult leaderView = done(join(m1, null));
        JoinResult followerView = done(secondJoin);
        assertThat(leaderView.generation()).isEqualTo(2).isEqualTo(followerView.generation());
        assertThat(leaderView.members()).hasSize(2);
        assertThat(followerView.members()).isEmpty();

        Future<SyncResult> followerSync = sync(m2, 2, Map.of());
        assertThat(followerSync.isComplete()).as("parked until the leader syncs").isFalse();
        assertThat(done(sync(m1, 2, Map.of(m1, bytes("p0"), m2, bytes("p1")))).assignment()).isEqualTo(bytes("p0"));
        assertThat(done(followerSync).assignment()).isEqualTo(bytes("p1"));
        assertThat(group().state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(heartbeat(m2, 2)).isEqualTo(GroupError.NONE);
        assertThat(heartbeat(m2, 1)).isEqualTo(GroupError.ILLEGAL_GENERATION);
    }

    @Test
    void aMemberThatStopsHeartbeatingIsRemovedAfterItsSessionTimeout() {
        String m1 = stableMember("c1");
        String m2 = joinNew("c2", null);
        Future<JoinResult> j2 = join(m2, null);
        done(join(m1, null));
        done(j2);
        sync(m2, 2, Map.of());
        done(sync(m1, 2, Map.of()));

        for (int i = 0; i < 7; i++) {
            fixture.scheduler.advance(1_000);
            heartbeat(m1, 2);
        }
        assertThat(group().member(m2)).isNull();
        assertThat(heartbeat(m1, 2)).isEqualTo(GroupError.REBALANCE_IN_PROGRESS);
        JoinResult alone = done(join(m1, null));
        assertThat(alone.generation()).isEqualTo(3);
        assertThat(alone.members()).hasSize(1);
    }

    @Test
    void aMemberThatDoesNotRejoinInTimeIsRemovedWhenTheRebalanceTimesOut() {
        String m1 = stableMember("c1");
        String m2 = joinNew("c2", null);
        Future<JoinResult> j2 = join(m2, null);
        done(join(m1, null));
        done(j2);
        sync(m2, 2, Map.of());
        done(sync(m1, 2, Map.of()));

        // m1 asks for a rebalance; m2 keeps heartbeating but never rejoins.
        Future<JoinResult> rejoin = join(m1, null);
        for (int i = 0; i < 31 && !rejoin.isComplete(); i++) {
            fixture.scheduler.advance(1_000);
            heartbeat(m2, 2);
        }
        assertThat(done(rejoin).members()).extracting(ClassicMessages.JoinedMember::memberId).containsExactly(m1);
        assertThat(heartbeat(m2, 2)).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
    }

    @Test
    void theInitialRebalanceDelayWaitsForMoreMembers() {
        ShardFixture delayed = new ShardFixture(new GroupConfig(1, 6_000, 300_000, 3_000, 1000, 100, 6_000, 500,
                List.of("uniform"), ShardFixture.RETENTION_MS, ShardFixture.RETENTION_CHECK_MS));
        ClassicGroupCoordinator classic = delayed.shard.classic;
        String m1 = done(classic.join(request("c1", "", null))).memberId();
        Future<JoinResult> j1 = classic.join(request("c1", m1, null));
        delayed.scheduler.advance(2_000);
        assertThat(j1.isComplete()).isFalse();
        String m2 = done(classic.join(request("c2", "", null))).memberId();
        Future<JoinResult> j2 = classic.join(request("c2", m2, null));
        delayed.scheduler.advance(2_000);
        assertThat(j1.isComplete()).as("a join during the delay extends it").isFalse();
        delayed.scheduler.advance(2_000);
        assertThat(done(j1).members()).hasSize(2);
        assertThat(done(j2).generation()).isEqualTo(1);
    }

    @Test
    void aStaticMemberRejoiningUnderANewIdKeepsItsAssignmentWithoutARebalance() {
        String leader = stableMember("c1");
        String s1 = joinNew("s", "instance-1");
        assertThat(s1).as("static members get their id at once").isNotEmpty();
        Future<JoinResult> staticJoin = join(s1, "instance-1");
        done(join(leader, null));
        done(staticJoin);
        sync(s1, 2, Map.of());
        done(sync(leader, 2, Map.of(leader, bytes("p0"), s1, bytes("p1"))));

        // The static member restarts: it joins with no member id but the same instance id.
        JoinResult rejoined = done(fixture.shard.classic.join(request("s", "", "instance-1")));
        assertThat(rejoined.error()).isEqualTo(GroupError.NONE);
        assertThat(rejoined.generation()).isEqualTo(2);
        assertThat(rejoined.memberId()).isNotEqualTo(s1);
        assertThat(group().state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(done(sync(rejoined.memberId(), 2, Map.of(), "instance-1")).assignment()).isEqualTo(bytes("p1"));
        assertThat(fixture.shard.classic.heartbeat(new HeartbeatRequest(GROUP, 2, s1, "instance-1")))
                .isEqualTo(GroupError.FENCED_INSTANCE_ID);
    }

    @ParameterizedTest(name = "JoinGroup v9+ (skip assignment): {0}")
    @ValueSource(booleans = {true, false})
    void aStaticLeaderRejoiningUnderANewIdKeepsTheGenerationAndEveryAssignment(boolean supportsSkipAssignment) {
        // Static members join at once, without being asked for a member id first; the first one leads.
        JoinResult first = done(fixture.shard.classic.join(request("s", "", "instance-leader")));
        String leader = first.memberId();
        done(sync(leader, first.generation(), Map.of(leader, bytes("all")), "instance-leader"));
        Future<JoinResult> followerJoin = fixture.shard.classic.join(request("f", "", "instance-follower"));
        JoinResult leaderRejoin = done(join(leader, "instance-leader"));
        assertThat(leaderRejoin.leaderId()).isEqualTo(leader);
        String follower = done(followerJoin).memberId();
        int generation = leaderRejoin.generation();
        Future<SyncResult> followerSync = sync(follower, generation, Map.of(), "instance-follower");
        done(sync(leader, generation, Map.of(leader, bytes("p0"), follower, bytes("p1")), "instance-leader"));
        assertThat(done(followerSync).assignment()).isEqualTo(bytes("p1"));

        // The leader restarts: no member id, the same instance id and protocol, other metadata (it owns nothing now).
        JoinRequest again = request("s", "", "instance-leader");
        JoinResult rejoined = done(fixture.shard.classic.join(new JoinRequest(again.groupId(), "", again.instanceId(),
                again.protocolType(), List.of(new Protocol("range", bytes("restarted"))), again.sessionTimeoutMs(),
                again.rebalanceTimeoutMs(),
                again.requireKnownMemberId(), supportsSkipAssignment, again.clientId(), again.clientHost())));
        assertThat(rejoined.error()).isEqualTo(GroupError.NONE);
        assertThat(rejoined.generation()).as("no rebalance").isEqualTo(generation);
        assertThat(group().state()).isEqualTo(ClassicGroupState.STABLE);
        if (supportsSkipAssignment) {
            // KIP-814: it is the leader, knows the members, and is told not to assign.
            assertThat(rejoined.leaderId()).isEqualTo(rejoined.memberId());
            assertThat(rejoined.members()).extracting(ClassicMessages.JoinedMember::instanceId)
                    .containsExactlyInAnyOrder("instance-leader", "instance-follower");
            assertThat(rejoined.skipAssignment()).isTrue();
        } else {
            // An older client would reassign: it is named a follower (its old id is the leader) and just syncs.
            assertThat(rejoined.leaderId()).isEqualTo(leader);
            assertThat(rejoined.members()).isEmpty();
            assertThat(rejoined.skipAssignment()).isFalse();
        }
        // Whatever a leader sends, a stable group keeps its assignment; nobody's changes.
        assertThat(done(sync(rejoined.memberId(), generation, Map.of(rejoined.memberId(), bytes("other")),
                "instance-leader")).assignment()).isEqualTo(bytes("p0"));
        assertThat(done(sync(follower, generation, Map.of(), "instance-follower")).assignment()).isEqualTo(bytes("p1"));
        assertThat(fixture.shard.classic.heartbeat(new HeartbeatRequest(GROUP, generation, leader, "instance-leader")))
                .as("the old incarnation is fenced").isEqualTo(GroupError.FENCED_INSTANCE_ID);
    }

    @Test
    void leavingRebalancesAndTheLastLeaveEmptiesTheGroup() {
        String m1 = stableMember("c1");
        var left = fixture.shard.classic.leave(new LeaveRequest(GROUP, List.of(new MemberIdentity(m1, null),
                new MemberIdentity("unknown", null))));
        assertThat(left.members()).extracting(ClassicMessages.MemberLeft::error)
                .containsExactly(GroupError.NONE, GroupError.UNKNOWN_MEMBER_ID);
        assertThat(group().state()).isEqualTo(ClassicGroupState.EMPTY);
        assertThat(group().generation()).isEqualTo(2);
        assertThat(fixture.shard.admin.delete(GROUP)).isEqualTo(GroupError.NONE);
        assertThat(fixture.shard.state.group(GROUP)).isNull();
        assertThat(fixture.restart().state.group(GROUP)).as("the deletion was stored").isNull();
    }

    @Test
    void anEmptyGroupSwitchesProtocolAndKeepsItsOffsets() {
        TopicPartition tp = new TopicPartition("t", 0);
        fixture.topic("t", 1);
        fixture.shard.offsets.commit(new CommitRequest(GROUP, -1, "", null, true,
                Map.of(tp, new CommittedOffset(9, -1, "", 0))));
        assertThat(group().state()).isEqualTo(ClassicGroupState.EMPTY);
        var joined = fixture.shard.consumer.heartbeat(new ConsumerMessages.HeartbeatRequest(GROUP, "m", 0, null, null,
                30_000, List.of("t"), null, null, Assignment.EMPTY, true, "c", "/127.0.0.1"));
        assertThat(joined.error()).isEqualTo(GroupError.NONE);
        CoordinatorShard restarted = fixture.restart();
        assertThat(restarted.state.group(GROUP)).isInstanceOf(ConsumerGroup.class);
        assertThat(restarted.offsets.fetch(new FetchRequest(GROUP, null, -1, null)).offsets().get(tp).offset())
                .isEqualTo(9);
    }

    @Test
    void groupsAndOffsetsAreRebuiltFromTheLogAndRestoredMembersMustHeartbeat() {
        String m1 = stableMember("c1");
        TopicPartition tp = new TopicPartition("t", 0);
        fixture.topic("t", 1);
        var commit = fixture.shard.offsets.commit(new CommitRequest(GROUP, 1, m1, null, true,
                Map.of(tp, new CommittedOffset(42, 3, "meta", 7))));
        assertThat(commit.errorOf(tp)).isEqualTo(GroupError.NONE);
        assertThat(fixture.shard.admin.delete(GROUP)).isEqualTo(GroupError.NON_EMPTY_GROUP);

        CoordinatorShard restarted = fixture.restart();
        var fetched = restarted.offsets.fetch(new FetchRequest(GROUP, null, -1, List.of(tp)));
        assertThat(fetched.offsets().get(tp)).isEqualTo(new CommittedOffset(42, 3, "meta", 7));
        ClassicGroup restored = restarted.state.classic(GROUP);
        assertThat(restored.state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(restored.generation()).isEqualTo(1);
        assertThat(restarted.classic.heartbeat(new HeartbeatRequest(GROUP, 1, m1, null))).isEqualTo(GroupError.NONE);
        fixture.scheduler.advance(7_000);
        assertThat(restarted.state.classic(GROUP).member(m1)).as("session expired").isNull();
        assertThat(restarted.state.classic(GROUP).state()).isEqualTo(ClassicGroupState.EMPTY);
    }

    @Test
    void commitsAreRefusedWhenTheLogCannotBeWritten() {
        fixture.log.failWrites = true;
        TopicPartition tp = new TopicPartition("t", 0);
        var result = fixture.shard.offsets.commit(new CommitRequest("simple", -1, "", null, true,
                Map.of(tp, new CommittedOffset(1, -1, "", 0))));
        assertThat(result.errorOf(tp)).isEqualTo(GroupError.COORDINATOR_NOT_AVAILABLE);
        assertThat(fixture.shard.offsets.fetch(new FetchRequest("simple", null, -1, List.of(tp))).offsets()).isEmpty();
    }

    // ---- helpers

    private ClassicGroup group() {
        return fixture.shard.state.classic(GROUP);
    }

    private String stableMember(String clientId) {
        String id = joinNew(clientId, null);
        JoinResult joined = done(join(id, null));
        done(sync(id, joined.generation(), Map.of(id, bytes("all"))));
        return id;
    }

    /** A new member's first join: it gets MEMBER_ID_REQUIRED and its id (or, static, joins at once). */
    private String joinNew(String clientId, String instanceId) {
        Future<JoinResult> f = fixture.shard.classic.join(request(clientId, "", instanceId));
        if (instanceId != null) {
            return f.isComplete() ? f.result().memberId() : group().staticMemberId(instanceId);
        }
        JoinResult r = done(f);
        assertThat(r.error()).isEqualTo(GroupError.MEMBER_ID_REQUIRED);
        return r.memberId();
    }

    private Future<JoinResult> join(String memberId, String instanceId) {
        return fixture.shard.classic.join(request("c", memberId, instanceId));
    }

    private static JoinRequest request(String clientId, String memberId, String instanceId) {
        return new JoinRequest(GROUP, memberId, instanceId, "consumer",
                List.of(new Protocol("range", bytes("t"))), 6_000, 30_000, true, true, clientId, "/127.0.0.1");
    }

    private Future<SyncResult> sync(String memberId, int generation, Map<String, byte[]> assignments) {
        return sync(memberId, generation, assignments, null);
    }

    private Future<SyncResult> sync(String memberId, int generation, Map<String, byte[]> assignments,
                                    String instanceId) {
        return fixture.shard.classic.sync(new SyncRequest(GROUP, generation, memberId, instanceId, "consumer",
                "range", assignments));
    }

    private GroupError heartbeat(String memberId, int generation) {
        return fixture.shard.classic.heartbeat(new HeartbeatRequest(GROUP, generation, memberId, null));
    }

    private static <T> T done(Future<T> future) {
        assertThat(future.isComplete()).as("completed").isTrue();
        return future.result();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
