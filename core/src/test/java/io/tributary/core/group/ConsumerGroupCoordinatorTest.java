package io.tributary.core.group;

import io.tributary.core.group.ConsumerMessages.HeartbeatRequest;
import io.tributary.core.group.ConsumerMessages.HeartbeatResult;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The consumer group protocol (KIP-848) on one shard: epochs, revocation before reassignment, sessions, replay. */
class ConsumerGroupCoordinatorTest {

    private static final String GROUP = "cg";
    private final ShardFixture fixture = new ShardFixture();
    private final Uuid topic = fixture.topic("t", 4);

    @Test
    void aJoiningMemberGetsEveryPartitionAtANewEpoch() {
        HeartbeatResult joined = join("a");
        assertThat(joined.error()).isEqualTo(GroupError.NONE);
        assertThat(joined.memberEpoch()).isPositive();
        assertThat(joined.heartbeatIntervalMs()).isEqualTo(500);
        assertThat(joined.assignment().partitions(topic)).containsExactly(0, 1, 2, 3);
        assertThat(group().stateName()).isEqualTo("Stable");
    }

    @Test
    void partitionsMoveOnlyAfterTheirOwnerRevokedThem() {
        HeartbeatResult a = join("a");
        HeartbeatResult b = join("b");
        assertThat(b.assignment().isEmpty()).as("all partitions are still a's").isTrue();
        assertThat(group().stateName()).isEqualTo("Reconciling");

        // a learns it must give up two partitions; it keeps its epoch until it confirms.
        HeartbeatResult revoke = heartbeat("a", a.memberEpoch(), null);
        assertThat(revoke.memberEpoch()).isEqualTo(a.memberEpoch());
        Assignment kept = revoke.assignment();
        assertThat(kept.size()).isEqualTo(2);
        assertNoOverlap();

        HeartbeatResult bStillWaiting = heartbeat("b", b.memberEpoch(), null);
        assertThat(bStillWaiting.assignment() == null || bStillWaiting.assignment().isEmpty()).isTrue();

        HeartbeatResult confirmed = heartbeat("a", a.memberEpoch(), kept);
        assertThat(confirmed.memberEpoch()).isGreaterThan(a.memberEpoch());
        HeartbeatResult bGets = heartbeat("b", bStillWaiting.memberEpoch(), Assignment.EMPTY);
        assertThat(bGets.assignment().size()).isEqualTo(2);
        assertThat(bGets.assignment().overlaps(kept)).isFalse();
        assertNoOverlap();
        assertThat(group().stateName()).isEqualTo("Stable");
    }

    @Test
    void staleAndFutureEpochsAreFencedAndUnknownMembersRejected() {
        HeartbeatResult a = join("a");
        assertThat(heartbeat("a", a.memberEpoch() + 1, null).error()).isEqualTo(GroupError.FENCED_MEMBER_EPOCH);
        assertThat(heartbeat("zz", 3, null).error()).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
        HeartbeatResult rejoined = join("a");
        assertThat(rejoined.error()).isEqualTo(GroupError.NONE);
    }

    @Test
    void aMemberThatStopsHeartbeatingIsRemovedAndItsPartitionsReassigned() {
        HeartbeatResult a = join("a");
        HeartbeatResult b = join("b");
        Assignment kept = heartbeat("a", a.memberEpoch(), null).assignment();
        HeartbeatResult aStable = heartbeat("a", a.memberEpoch(), kept);
        heartbeat("b", b.memberEpoch(), Assignment.EMPTY);
        Assignment latest = null;
        for (int i = 0; i < 8; i++) {
            fixture.scheduler.advance(1_000);
            aStable = heartbeat("a", aStable.memberEpoch(), null);
            latest = aStable.assignment() != null ? aStable.assignment() : latest;
        }
        assertThat(group().member("b")).isNull();
        assertThat(latest.size()).as("the last assignment a was sent").isEqualTo(4);
    }

    @Test
    void theGroupIsRebuiltFromTheLogAndMembersKeepTheirEpochs() {
        HeartbeatResult a = join("a");
        CoordinatorShard restarted = fixture.restart();
        HeartbeatResult after = restarted.consumer.heartbeat(request("a", a.memberEpoch(), null, null));
        assertThat(after.error()).isEqualTo(GroupError.NONE);
        assertThat(after.memberEpoch()).isEqualTo(a.memberEpoch());
        assertThat(restarted.state.consumer(GROUP).targetOf("a").size()).isEqualTo(4);
    }

    @Test
    void aTopicCreatedLaterIsAssignedToItsSubscribers() {
        HeartbeatResult a = fixture.shard.consumer.heartbeat(new HeartbeatRequest(GROUP, "a", 0, null, null, 30_000,
                List.of("t", "later"), null, null, Assignment.EMPTY, true, "client", "/127.0.0.1"));
        assertThat(a.assignment().topics()).containsExactly(topic);
        Uuid later = fixture.topic("later", 2);
        HeartbeatResult next = heartbeat("a", a.memberEpoch(), null);
        assertThat(next.memberEpoch()).isGreaterThan(a.memberEpoch());
        assertThat(next.assignment().partitions(later)).containsExactly(0, 1);
    }

    // ---- helpers

    private ConsumerGroup group() {
        return fixture.shard.state.consumer(GROUP);
    }

    private void assertNoOverlap() {
        List<ConsumerMember> members = List.copyOf(group().members());
        for (int i = 0; i < members.size(); i++) {
            for (int j = i + 1; j < members.size(); j++) {
                assertThat(members.get(i).holding().overlaps(members.get(j).holding()))
                        .as("%s and %s both hold a partition", members.get(i).memberId(), members.get(j).memberId())
                        .isFalse();
            }
        }
    }

    private HeartbeatResult join(String memberId) {
        return fixture.shard.consumer.heartbeat(request(memberId, 0, List.of("t"), Assignment.EMPTY));
    }

    private HeartbeatResult heartbeat(String memberId, int epoch, Assignment owned) {
        return fixture.shard.consumer.heartbeat(request(memberId, epoch, null, owned));
    }

    private static HeartbeatRequest request(String memberId, int epoch, List<String> topics, Assignment owned) {
        return new HeartbeatRequest(GROUP, memberId, epoch, null, null, epoch == 0 ? 30_000 : -1, topics, null,
                null, owned, true, "client", "/127.0.0.1");
    }
}
