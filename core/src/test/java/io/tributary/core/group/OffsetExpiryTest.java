package io.tributary.core.group;

import io.tributary.core.group.ClassicMessages.HeartbeatRequest;
import io.tributary.core.group.ClassicMessages.JoinRequest;
import io.tributary.core.group.ClassicMessages.JoinResult;
import io.tributary.core.group.ClassicMessages.Protocol;
import io.tributary.core.group.ClassicMessages.SyncRequest;
import io.tributary.core.group.ConsumerMessages.HeartbeatResult;
import io.tributary.core.group.OffsetMessages.CommitRequest;
import io.tributary.core.group.OffsetMessages.CommitResult;
import io.tributary.core.group.OffsetMessages.TxnCommitRequest;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.tributary.core.group.ShardFixture.RETENTION_CHECK_MS;
import static io.tributary.core.group.ShardFixture.RETENTION_MS;
import static org.assertj.core.api.Assertions.assertThat;

/** Offset retention on one shard (a day here), on a manual clock: what expires, from when, and what stays. */
class OffsetExpiryTest {

    private static final String GROUP = "g";
    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition U0 = new TopicPartition("u", 0);

    private final ShardFixture fixture = new ShardFixture();

    @Test
    void aGroupThatOnlyCommitsLosesEachOffsetARetentionAfterItsCommitThenTheGroupGoes() {
        commit(-1, null, Map.of(T0, offset(5, now())));
        advance(RETENTION_MS / 2);
        commit(-1, null, Map.of(U0, offset(7, now())));

        advance(RETENTION_MS / 2 + RETENTION_CHECK_MS);
        assertThat(offsets()).as("t-0 is a day old, u-0 half a day").containsOnlyKeys(U0);
        assertThat(fixture.shard.state.group(GROUP)).isNotNull();

        advance(RETENTION_MS / 2);
        assertThat(offsets()).isEmpty();
        assertThat(fixture.shard.state.group(GROUP)).as("an empty group without offsets is deleted").isNull();
        assertThat(fixture.restart().state.group(GROUP)).as("and stays deleted after a restart").isNull();
        assertThat(fixture.shard.state.offsets.of(GROUP)).isEmpty();
    }

    @Test
    void aStableConsumerGroupKeepsItsSubscribedTopicsAndAnEmptyOneItsOffsetsForARetentionAfterEmptying() {
        String member = stableClassicMember();
        long old = now() - 2 * RETENTION_MS;
        commit(generation(), member, Map.of(T0, offset(5, old), U0, offset(7, old)));

        fixture.shard.expiry.run();
        assertThat(offsets()).as("u is not subscribed, t is").containsOnlyKeys(T0);

        // The member leaves: its offsets still have a full retention from the first check that finds it empty.
        fixture.shard.classic.leave(new ClassicMessages.LeaveRequest(GROUP, List.of(
                new ClassicMessages.MemberIdentity(member, null))));
        assertThat(fixture.shard.state.classic(GROUP).isIn(ClassicGroupState.EMPTY)).isTrue();
        fixture.shard.expiry.run();
        advance(RETENTION_MS - RETENTION_CHECK_MS);
        assertThat(offsets()).containsOnlyKeys(T0);

        advance(2 * RETENTION_CHECK_MS);
        assertThat(offsets()).isEmpty();
        assertThat(fixture.shard.state.group(GROUP)).isNull();
    }

    @Test
    void aConsumerProtocolGroupLosesOnlyOldOffsetsOfTopicsNoMemberSubscribesTo() {
        fixture.topic("t", 1);
        fixture.topic("u", 1);
        HeartbeatResult joined = fixture.shard.consumer.heartbeat(new ConsumerMessages.HeartbeatRequest(GROUP, "m1",
                0, null, null, 30_000, List.of("t"), null, null, Assignment.EMPTY, true, "client", "/127.0.0.1"));
        long old = now() - 2 * RETENTION_MS;
        CommitResult committed = fixture.shard.offsets.commit(new CommitRequest(GROUP, joined.memberEpoch(), "m1",
                null, true, Map.of(T0, offset(5, old), U0, offset(7, old),
                new TopicPartition("u", 1), offset(9, now()))));
        assertThat(committed.error()).isEqualTo(GroupError.NONE);

        fixture.shard.expiry.run();
        assertThat(offsets()).containsOnlyKeys(T0, new TopicPartition("u", 1));
        assertThat(fixture.shard.state.group(GROUP)).isNotNull();
    }

    @Test
    void anOffsetATransactionStillHoldsIsKept() {
        long old = now() - 2 * RETENTION_MS;
        commit(-1, null, Map.of(T0, offset(5, old), U0, offset(7, old)));
        CommitResult pending = fixture.shard.txnOffsets.commit(new TxnCommitRequest(GROUP, 42L, (short) 0, -1, null,
                null, Map.of(T0, offset(6, now()))));
        assertThat(pending.error()).isEqualTo(GroupError.NONE);

        fixture.shard.expiry.run();
        assertThat(offsets()).containsOnlyKeys(T0);
        assertThat(fixture.shard.state.group(GROUP)).isNotNull();
    }

    @Test
    void checksRunEveryIntervalAndStopWhenTheShardIsUnloaded() {
        commit(-1, null, Map.of(T0, offset(5, now() - 2 * RETENTION_MS)));
        advance(RETENTION_CHECK_MS - 1);
        assertThat(offsets()).as("no check before the interval").containsOnlyKeys(T0);
        advance(1);
        assertThat(offsets()).isEmpty();

        commit(-1, null, Map.of(U0, offset(7, now() - 2 * RETENTION_MS)));
        fixture.shard.unload(GroupError.NOT_COORDINATOR);
        fixture.shard.state.put(new ClassicGroup(GROUP));
        fixture.shard.state.offsets.put(GROUP, U0, offset(7, now() - 2 * RETENTION_MS));
        advance(2 * RETENTION_CHECK_MS);
        assertThat(offsets()).as("an unloaded shard checks nothing").containsOnlyKeys(U0);
    }

    // ---- helpers

    private long now() {
        return fixture.scheduler.nowMs();
    }

    private void advance(long ms) {
        fixture.scheduler.advance(ms);
    }

    private Map<TopicPartition, CommittedOffset> offsets() {
        return fixture.shard.state.offsets.of(GROUP);
    }

    private int generation() {
        return fixture.shard.state.classic(GROUP).generation();
    }

    private static CommittedOffset offset(long offset, long committedAtMs) {
        return new CommittedOffset(offset, -1, "", committedAtMs);
    }

    private void commit(int generation, String member, Map<TopicPartition, CommittedOffset> offsets) {
        CommitResult result = fixture.shard.offsets.commit(new CommitRequest(GROUP, generation, member, null, true,
                offsets));
        assertThat(result.error()).isEqualTo(GroupError.NONE);
    }

    /** One consumer in a stable classic group, subscribed to topic t. */
    private String stableClassicMember() {
        JoinResult first = done(fixture.shard.classic.join(join("")));
        String member = first.memberId();
        JoinResult joined = done(fixture.shard.classic.join(join(member)));
        done(fixture.shard.classic.sync(new SyncRequest(GROUP, joined.generation(), member, null, "consumer", "range",
                Map.of(member, bytes("t-0")))));
        assertThat(fixture.shard.classic.heartbeat(new HeartbeatRequest(GROUP, joined.generation(), member, null)))
                .isEqualTo(GroupError.NONE);
        return member;
    }

    private static JoinRequest join(String memberId) {
        return new JoinRequest(GROUP, memberId, null, "consumer", List.of(new Protocol("range", bytes("t"))), 6_000,
                30_000, true, true, "client", "/127.0.0.1");
    }

    private static <T> T done(Future<T> future) {
        assertThat(future.isComplete()).as("completed").isTrue();
        return future.result();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
