package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.ConsumerGroupDescribeRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeLogDirsRequest;
import org.apache.kafka.common.requests.DescribeProducersRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every advertised version of the group and admin APIs, on the wire: each gets a response the
 * client library can parse (a field outside a version's schema would make encoding fail instead).
 */
class GroupAndAdminApiVersionsIT {

    private static final String TOPIC = "versions-topic";

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
    void classicGroupApisAnswerEveryVersion() throws Exception {
        try (RawKafkaSocket socket = RawKafkaSocket.connect(broker.port())) {
            for (short v = 0; v <= 6; v++) {
                FindCoordinatorRequestData data = v >= 4
                        ? new FindCoordinatorRequestData().setCoordinatorKeys(List.of("g1", "g2"))
                        : new FindCoordinatorRequestData().setKey("g1");
                roundTrip(socket, new FindCoordinatorRequest.Builder(data).build(v));
            }
            for (short v = 0; v <= 9; v++) {
                String group = "versions-join-" + v;
                JoinGroupResponseData joined = join(socket, group, "", v);
                String memberId = joined.memberId();
                if (v >= 4) {
                    assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
                    joined = join(socket, group, memberId, v);
                }
                assertThat(Errors.forCode(joined.errorCode())).as("JoinGroup v%d", v).isEqualTo(Errors.NONE);
                int generation = joined.generationId();
                short syncVersion = (short) Math.min(v, 5);
                roundTrip(socket, new SyncGroupRequest.Builder(new SyncGroupRequestData().setGroupId(group)
                        .setGenerationId(generation).setMemberId(memberId).setProtocolType("consumer")
                        .setProtocolName("range")).build(syncVersion));
                roundTrip(socket, new HeartbeatRequest.Builder(new HeartbeatRequestData().setGroupId(group)
                        .setGenerationId(generation).setMemberId(memberId)).build((short) Math.min(v, 4)));
                short leaveVersion = (short) Math.min(v, 5);
                List<LeaveGroupRequestData.MemberIdentity> leaving = leaveVersion >= 3
                        ? List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(memberId),
                        new LeaveGroupRequestData.MemberIdentity().setMemberId("unknown"))
                        : List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(memberId));
                roundTrip(socket, new LeaveGroupRequest.Builder(group, leaving).build(leaveVersion));
            }
        }
    }

    @Test
    void offsetAndGroupAdministrationApisAnswerEveryVersion() throws Exception {
        Uuid topicId;
        try (var admin = ItClients.admin(broker.bootstrapServers())) {
            topicId = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).topicId();
        }
        try (RawKafkaSocket socket = RawKafkaSocket.connect(broker.port())) {
            for (short v = 2; v <= 10; v++) {
                OffsetCommitRequestData data = new OffsetCommitRequestData().setGroupId("versions-offsets")
                        .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(TOPIC)
                                .setTopicId(topicId).setPartitions(List.of(
                                        new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                                .setPartitionIndex(0).setCommittedOffset(v)))));
                roundTrip(socket, OffsetCommitRequest.Builder.forTopicIdsOrNames(data).build(v));
            }
            for (short v = 1; v <= 10; v++) {
                OffsetFetchRequestData data = v >= 8
                        ? new OffsetFetchRequestData().setGroups(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("versions-offsets")
                                .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics()
                                        .setName(TOPIC).setTopicId(topicId).setPartitionIndexes(List.of(0, 1)))),
                        new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("versions-offsets")
                                .setTopics(null)))
                        : new OffsetFetchRequestData().setGroupId("versions-offsets")
                        .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(TOPIC)
                                .setPartitionIndexes(List.of(0, 1))));
                roundTrip(socket, OffsetFetchRequest.Builder.forTopicIdsOrNames(data, false).build(v));
            }
            sweep(socket, 0, 5, v -> new ListGroupsRequest.Builder(new ListGroupsRequestData()).build(v));
            sweep(socket, 0, 6, v -> new DescribeGroupsRequest.Builder(new DescribeGroupsRequestData()
                    .setGroups(List.of("versions-offsets", "no-such-group")).setIncludeAuthorizedOperations(v >= 3))
                    .build(v));
            roundTrip(socket, new OffsetDeleteRequest.Builder(new OffsetDeleteRequestData().setGroupId(
                    "versions-offsets")).build((short) 0));
            sweep(socket, 0, 2, v -> new DeleteGroupsRequest.Builder(new DeleteGroupsRequestData()
                    .setGroupsNames(List.of("no-such-group", "versions-offsets"))).build(v));
            for (short v = 0; v <= 1; v++) {
                roundTrip(socket, new ConsumerGroupHeartbeatRequest.Builder(new ConsumerGroupHeartbeatRequestData()
                        .setGroupId("versions-consumer-" + v).setMemberId(v >= 1 ? Uuid.randomUuid().toString() : "")
                        .setMemberEpoch(0).setRebalanceTimeoutMs(30_000).setSubscribedTopicNames(List.of(TOPIC))
                        .setTopicPartitions(List.of())).build(v));
                roundTrip(socket, new ConsumerGroupDescribeRequest.Builder(new ConsumerGroupDescribeRequestData()
                        .setGroupIds(List.of("versions-consumer-" + v, "versions-offsets"))).build(v));
            }
        }
    }

    @Test
    void configAndTopicAdministrationApisAnswerEveryVersion() throws Exception {
        try (RawKafkaSocket socket = RawKafkaSocket.connect(broker.port())) {
            sweep(socket, 1, 4, v -> new DescribeConfigsRequest.Builder(new DescribeConfigsRequestData()
                    .setIncludeSynonyms(v >= 1).setResources(List.of(
                            new DescribeConfigsRequestData.DescribeConfigsResource()
                                    .setResourceType(ConfigResource.Type.BROKER.id()).setResourceName("0"),
                            new DescribeConfigsRequestData.DescribeConfigsResource()
                                    .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName(TOPIC))))
                    .build(v));
            sweep(socket, 0, 2, v -> {
                AlterConfigsRequestData.AlterConfigsResourceCollection resources =
                        new AlterConfigsRequestData.AlterConfigsResourceCollection();
                AlterConfigsRequestData.AlterableConfigCollection configs =
                        new AlterConfigsRequestData.AlterableConfigCollection();
                configs.add(new AlterConfigsRequestData.AlterableConfig().setName("retention.ms").setValue("86400000"));
                resources.add(new AlterConfigsRequestData.AlterConfigsResource()
                        .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName(TOPIC).setConfigs(configs));
                return new AlterConfigsRequest(new AlterConfigsRequestData().setResources(resources), v);
            });
            sweep(socket, 0, 1, v -> {
                IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection resources =
                        new IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection();
                IncrementalAlterConfigsRequestData.AlterableConfigCollection configs =
                        new IncrementalAlterConfigsRequestData.AlterableConfigCollection();
                configs.add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName("retention.ms")
                        .setConfigOperation((byte) 0).setValue("3600000"));
                resources.add(new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                        .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName(TOPIC).setConfigs(configs));
                return new IncrementalAlterConfigsRequest.Builder(new IncrementalAlterConfigsRequestData()
                        .setResources(resources)).build(v);
            });
            sweep(socket, 0, 3, v -> {
                CreatePartitionsRequestData.CreatePartitionsTopicCollection topics =
                        new CreatePartitionsRequestData.CreatePartitionsTopicCollection();
                topics.add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName(TOPIC).setCount(3 + v)
                        .setAssignments(null));
                return new CreatePartitionsRequest.Builder(new CreatePartitionsRequestData().setTopics(topics)
                        .setTimeoutMs(10_000)).build(v);
            });
            sweep(socket, 1, 5, v -> new DescribeLogDirsRequest.Builder(new DescribeLogDirsRequestData()
                    .setTopics(null)).build(v));
            roundTrip(socket, new DescribeProducersRequest.Builder(new DescribeProducersRequestData().setTopics(
                    List.of(new DescribeProducersRequestData.TopicRequest().setName(TOPIC)
                            .setPartitionIndexes(List.of(0, 7))))).build((short) 0));
        }
    }

    // ---- helpers

    private static JoinGroupResponseData join(RawKafkaSocket socket, String group, String memberId, short version)
            throws Exception {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[]{1}));
        JoinGroupRequestData data = new JoinGroupRequestData().setGroupId(group).setMemberId(memberId)
                .setProtocolType("consumer").setSessionTimeoutMs(30_000).setRebalanceTimeoutMs(30_000)
                .setProtocols(protocols);
        return ((org.apache.kafka.common.requests.JoinGroupResponse) roundTrip(socket,
                new JoinGroupRequest.Builder(data).build(version))).data();
    }

    private static void sweep(RawKafkaSocket socket, int from, int to, AtVersion request) throws Exception {
        for (int v = from; v <= to; v++) {
            roundTrip(socket, request.build((short) v));
        }
    }

    private static AbstractResponse roundTrip(RawKafkaSocket socket, AbstractRequest request) throws Exception {
        AbstractResponse response = socket.roundTrip(request);
        assertThat(response).as("%s v%d", request.apiKey(), request.version()).isNotNull();
        assertThat(response.errorCounts().keySet()).as("%s v%d errors", request.apiKey(), request.version())
                .doesNotContain(Errors.UNKNOWN_SERVER_ERROR, Errors.UNSUPPORTED_VERSION);
        return response;
    }

    /** Builds a request at a version. */
    @FunctionalInterface
    private interface AtVersion {
        AbstractRequest build(short version);
    }
}
