package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatResponse;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests a broken or stale client might send, on the wire, and the Kafka error codes they must
 * get: commits from unknown members, stale generations and epochs, oversized offset metadata, and
 * invalid joins.
 */
class GroupBadInputIT {

    private static final String TOPIC = "bad-group-input";

    @TempDir
    static Path dataDir;

    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.start(dataDir, GroupTestBroker.overrides());
        ItClients.createTopic(broker.bootstrapServers(), TOPIC, 2);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void classicCommitsFromUnknownMembersStaleGenerationsAndWithOversizedMetadataAreRefused() throws Exception {
        try (RawKafkaSocket socket = RawKafkaSocket.connect(broker.port())) {
            String group = "bad-classic";
            JoinGroupResponseData first = join(socket, group, "", 30_000);
            // JoinGroup v4+: a new member first learns its id.
            assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
            String memberId = first.memberId();
            JoinGroupResponseData joined = join(socket, group, memberId, 30_000);
            assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
            assertThat(joined.leader()).isEqualTo(memberId);
            int generation = joined.generationId();
            SyncGroupResponse synced = socket.roundTrip(new SyncGroupRequest.Builder(new SyncGroupRequestData()
                    .setGroupId(group).setGenerationId(generation).setMemberId(memberId)
                    .setAssignments(List.of(new SyncGroupRequestAssignment().setMemberId(memberId)
                            .setAssignment(new byte[]{1, 2, 3})))).build((short) 5));
            assertThat(synced.data().assignment()).containsExactly(1, 2, 3);

            assertThat(commit(socket, group, generation, memberId, "ok", TOPIC, 9)).isEqualTo(Errors.NONE);
            assertThat(commit(socket, group, generation, "no-such-member", "", TOPIC, 9))
                    .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            assertThat(commit(socket, group, generation - 1, memberId, "", TOPIC, 9))
                    .isEqualTo(Errors.ILLEGAL_GENERATION);
            assertThat(commit(socket, group, generation, memberId, "m".repeat(4097), TOPIC, 9))
                    .isEqualTo(Errors.OFFSET_METADATA_TOO_LARGE);
            assertThat(commit(socket, group, generation, memberId, "", "no-such-topic", 9))
                    .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
            // An admin-style commit (generation -1, no member) is refused while the group has members.
            assertThat(commit(socket, group, -1, "", "", TOPIC, 9)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            // A member of a group the coordinator does not know: by API version.
            assertThat(commit(socket, "no-such-group", 3, "x", "", TOPIC, 9)).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
            assertThat(commit(socket, "no-such-group", 3, "x", "", TOPIC, 8)).isEqualTo(Errors.ILLEGAL_GENERATION);

            assertThat(heartbeat(socket, group, generation, memberId)).isEqualTo(Errors.NONE);
            assertThat(heartbeat(socket, group, generation + 1, memberId)).isEqualTo(Errors.ILLEGAL_GENERATION);
            assertThat(heartbeat(socket, group, generation, "no-such-member")).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        }
    }

    @Test
    void invalidJoinsGetKafkasErrors() throws Exception {
        try (RawKafkaSocket socket = RawKafkaSocket.connect(broker.port())) {
            assertThat(Errors.forCode(join(socket, "bad-timeout", "", 1_000).errorCode()))
                    .isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
            assertThat(Errors.forCode(join(socket, "", "", 30_000).errorCode())).isEqualTo(Errors.INVALID_GROUP_ID);
            assertThat(Errors.forCode(join(socket, "bad-unknown", "never-joined", 30_000).errorCode()))
                    .isEqualTo(Errors.UNKNOWN_MEMBER_ID);

            // A member with another protocol type cannot join a group of consumers.
            String group = "bad-protocol";
            String memberId = join(socket, group, "", 30_000).memberId();
            assertThat(Errors.forCode(join(socket, group, memberId, 30_000).errorCode())).isEqualTo(Errors.NONE);
            JoinGroupResponse other = socket.roundTrip(new JoinGroupRequest.Builder(joinData("bad-protocol", "",
                    30_000).setProtocolType("connect")).build((short) 9));
            assertThat(Errors.forCode(other.data().errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        }
    }

    @Test
    void consumerProtocolCommitsWithStaleOrFutureEpochsAreRefused() throws Exception {
        try (RawKafkaSocket socket = RawKafkaSocket.connect(broker.port())) {
            String group = "bad-consumer";
            String memberId = "bad-consumer-member-0001";
            ConsumerGroupHeartbeatResponseData joined = consumerHeartbeat(socket, new ConsumerGroupHeartbeatRequestData()
                    .setGroupId(group).setMemberId(memberId).setMemberEpoch(0).setRebalanceTimeoutMs(30_000)
                    .setSubscribedTopicNames(List.of(TOPIC)).setTopicPartitions(List.of()));
            assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
            int epoch = joined.memberEpoch();
            assertThat(epoch).isPositive();
            assertThat(joined.assignment().topicPartitions().get(0).partitions()).containsExactlyInAnyOrder(0, 1);

            assertThat(commit(socket, group, epoch, memberId, "", TOPIC, 9)).isEqualTo(Errors.NONE);
            assertThat(commit(socket, group, epoch - 1, memberId, "", TOPIC, 9)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
            assertThat(commit(socket, group, epoch + 1, memberId, "", TOPIC, 9)).isEqualTo(Errors.FENCED_MEMBER_EPOCH);
            assertThat(commit(socket, group, epoch, "no-such-member", "", TOPIC, 9))
                    .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            // Consumer-protocol members must use OffsetCommit v9 or later.
            assertThat(commit(socket, group, epoch, memberId, "", TOPIC, 8)).isEqualTo(Errors.UNSUPPORTED_VERSION);

            ConsumerGroupHeartbeatResponseData fenced = consumerHeartbeat(socket, new ConsumerGroupHeartbeatRequestData()
                    .setGroupId(group).setMemberId(memberId).setMemberEpoch(epoch + 5));
            assertThat(Errors.forCode(fenced.errorCode())).isEqualTo(Errors.FENCED_MEMBER_EPOCH);
            ConsumerGroupHeartbeatResponseData noSubscription = consumerHeartbeat(socket,
                    new ConsumerGroupHeartbeatRequestData().setGroupId(group).setMemberId("another-member-0001")
                            .setMemberEpoch(0).setRebalanceTimeoutMs(30_000).setTopicPartitions(List.of()));
            assertThat(Errors.forCode(noSubscription.errorCode())).isEqualTo(Errors.INVALID_REQUEST);
            assertThat(noSubscription.errorMessage()).contains("SubscribedTopicNames");
            ConsumerGroupHeartbeatResponseData badAssignor = consumerHeartbeat(socket,
                    new ConsumerGroupHeartbeatRequestData().setGroupId(group).setMemberId("another-member-0002")
                            .setMemberEpoch(0).setRebalanceTimeoutMs(30_000).setTopicPartitions(List.of())
                            .setSubscribedTopicNames(List.of(TOPIC)).setServerAssignor("no-such-assignor"));
            assertThat(Errors.forCode(badAssignor.errorCode())).isEqualTo(Errors.UNSUPPORTED_ASSIGNOR);
        }
    }

    // ---- helpers

    private static JoinGroupRequestData joinData(String group, String memberId, int sessionTimeoutMs) {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol().setName("range").setMetadata(new byte[]{0}));
        return new JoinGroupRequestData().setGroupId(group).setMemberId(memberId).setProtocolType("consumer")
                .setSessionTimeoutMs(sessionTimeoutMs).setRebalanceTimeoutMs(30_000).setProtocols(protocols);
    }

    private static JoinGroupResponseData join(RawKafkaSocket socket, String group, String memberId, int sessionTimeoutMs)
            throws Exception {
        JoinGroupResponse response = socket.roundTrip(new JoinGroupRequest.Builder(
                joinData(group, memberId, sessionTimeoutMs)).build((short) 9));
        return response.data();
    }

    private static Errors heartbeat(RawKafkaSocket socket, String group, int generation, String memberId)
            throws Exception {
        HeartbeatResponse response = socket.roundTrip(new HeartbeatRequest.Builder(new HeartbeatRequestData()
                .setGroupId(group).setGenerationId(generation).setMemberId(memberId)).build((short) 4));
        return Errors.forCode(response.data().errorCode());
    }

    private static ConsumerGroupHeartbeatResponseData consumerHeartbeat(RawKafkaSocket socket,
                                                                       ConsumerGroupHeartbeatRequestData data)
            throws Exception {
        ConsumerGroupHeartbeatResponse response = socket.roundTrip(
                new ConsumerGroupHeartbeatRequest.Builder(data).build((short) 1));
        return response.data();
    }

    /** Commits offset 1 of partition 0 of {@code topic}; returns that partition's error. */
    private static Errors commit(RawKafkaSocket socket, String group, int generation, String memberId,
                                 String metadata, String topic, int version) throws Exception {
        OffsetCommitRequestData data = new OffsetCommitRequestData().setGroupId(group)
                .setGenerationIdOrMemberEpoch(generation).setMemberId(memberId)
                .setTopics(List.of(new OffsetCommitRequestTopic().setName(topic).setPartitions(List.of(
                        new OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(1)
                                .setCommittedMetadata(metadata)))));
        OffsetCommitResponse response = socket.roundTrip(
                OffsetCommitRequest.Builder.forTopicNames(data).build((short) version));
        return Errors.forCode(response.data().topics().get(0).partitions().get(0).errorCode());
    }
}
