package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddOffsetsToTxnResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transaction APIs at every advertised version, driven with kafka-clients' request classes over a raw socket:
 * requests that make no sense get Kafka's error codes (and the connection keeps serving), and the coordinator's
 * state machine answers as Kafka's does.
 */
class TransactionProtocolIT {

    @TempDir
    static Path dataDir;

    private static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start(dataDir, Map.of("transaction.max.timeout.ms", "60000"));
        ItClients.createTopic(broker.bootstrapServers(), "proto", 1);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static InitProducerIdResponse init(RawKafkaSocket socket, String id, int timeoutMs, short version)
            throws Exception {
        return socket.roundTrip(new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                .setTransactionalId(id).setTransactionTimeoutMs(timeoutMs)).build(version));
    }

    @Test
    void findCoordinatorAnswersForTransactionalIds() throws Exception {
        try (RawKafkaSocket socket = RawKafkaSocket.connect(broker.port())) {
            for (short v = 1; v <= ApiKeys.FIND_COORDINATOR.latestVersion(); v++) {
                FindCoordinatorRequestData data = new FindCoordinatorRequestData()
                        .setKeyType(FindCoordinatorRequest.CoordinatorType.TRANSACTION.id());
                if (v >= 4) {
                    data.setCoordinatorKeys(List.of("some-txn", ""));
                } else {
                    data.setKey("some-txn");
                }
                FindCoordinatorResponse r = socket.roundTrip(new FindCoordinatorRequest.Builder(data).build(v));
                if (v >= 4) {
                    assertThat(r.data().coordinators()).extracting(c -> Errors.forCode(c.errorCode()))
                            .containsExactly(Errors.NONE, Errors.INVALID_REQUEST);
                    assertThat(r.data().coordinators().get(0).port()).isEqualTo(broker.port());
                } else {
                    assertThat(r.error()).as("v%d", v).isEqualTo(Errors.NONE);
                    assertThat(r.data().port()).isEqualTo(broker.port());
                }
            }
        }
    }

    private static InitProducerIdResponse initExpecting(RawKafkaSocket socket, long pid, short epoch)
            throws Exception {
        return socket.roundTrip(new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                .setTransactionalId("proto-init").setTransactionTimeoutMs(10_000).setProducerId(pid)
                .setProducerEpoch(epoch)).build((short) 4));
    }

    @Test
    void initProducerIdRefusesTimeoutsOutsideTheAllowedRangeAndBumpsTheEpoch() throws Exception {
        try (RawKafkaSocket socket = RawKafkaSocket.connect(broker.port())) {
            for (short v = 0; v <= 5; v++) {
                assertThat(init(socket, "proto-init", 60_001, v).error()).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
            }
            InitProducerIdResponse first = init(socket, "proto-init", 10_000, (short) 4);
            InitProducerIdResponse second = init(socket, "proto-init", 10_000, (short) 0);
            assertThat(first.error()).isEqualTo(Errors.NONE);
            assertThat(second.data().producerId()).isEqualTo(first.data().producerId());
            assertThat(second.data().producerEpoch()).isEqualTo((short) (first.data().producerEpoch() + 1));
            // KIP-360: a producer naming its current epoch gets the next one; a retry of that bump (same expected
            // epoch, response lost) gets the same answer; an epoch older than that is fenced.
            InitProducerIdResponse bumped = initExpecting(socket, second.data().producerId(),
                    second.data().producerEpoch());
            assertThat(bumped.error()).isEqualTo(Errors.NONE);
            assertThat(bumped.data().producerEpoch()).isEqualTo((short) (second.data().producerEpoch() + 1));
            InitProducerIdResponse retried = initExpecting(socket, second.data().producerId(),
                    second.data().producerEpoch());
            assertThat(retried.error()).isEqualTo(Errors.NONE);
            assertThat(retried.data().producerEpoch()).isEqualTo(bumped.data().producerEpoch());
            InitProducerIdResponse stale = initExpecting(socket, first.data().producerId(),
                    first.data().producerEpoch());
            assertThat(stale.error()).isEqualTo(Errors.PRODUCER_FENCED);
        }
    }

    @Test
    void theTransactionStateMachineAnswersAsKafkaDoes() throws Exception {
        TopicPartition tp = new TopicPartition("proto", 0);
        try (RawKafkaSocket socket = RawKafkaSocket.connect(broker.port())) {
            for (short v = 0; v <= 3; v++) {
                AddPartitionsToTxnResponse unknownId = socket.roundTrip(AddPartitionsToTxnRequest.Builder
                        .forClient("never-initialised", 1L, (short) 0, List.of(tp)).build(v));
                assertThat(unknownId.errors().get(AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID))
                        .containsEntry(tp, Errors.INVALID_PRODUCER_ID_MAPPING);
            }
            InitProducerIdResponse init = init(socket, "proto-sm", 10_000, (short) 3);
            long pid = init.data().producerId();
            short epoch = init.data().producerEpoch();

            for (short v = 0; v <= 4; v++) {
                // Nothing open: there is nothing to end.
                assertThat(endTxn(socket, "proto-sm", pid, epoch, true, v).error()).isEqualTo(Errors.INVALID_TXN_STATE);
                assertThat(endTxn(socket, "proto-sm", pid, (short) (epoch + 1), true, v).error())
                        .isEqualTo(Errors.PRODUCER_FENCED);
                assertThat(endTxn(socket, "proto-sm", pid + 1, epoch, true, v).error())
                        .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
            }

            AddPartitionsToTxnResponse unknownTopic = socket.roundTrip(AddPartitionsToTxnRequest.Builder
                    .forClient("proto-sm", pid, epoch, List.of(tp, new TopicPartition("no-such-topic", 0)))
                    .build((short) 3));
            assertThat(unknownTopic.errors().get(AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID))
                    .containsEntry(tp, Errors.OPERATION_NOT_ATTEMPTED)
                    .containsEntry(new TopicPartition("no-such-topic", 0), Errors.UNKNOWN_TOPIC_OR_PARTITION);

            AddPartitionsToTxnResponse added = socket.roundTrip(AddPartitionsToTxnRequest.Builder
                    .forClient("proto-sm", pid, epoch, List.of(tp)).build((short) 3));
            assertThat(added.errors().get(AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID)).containsEntry(tp, Errors.NONE);
            AddOffsetsToTxnResponse noGroup = socket.roundTrip(new AddOffsetsToTxnRequest.Builder(
                    new AddOffsetsToTxnRequestData().setTransactionalId("proto-sm").setProducerId(pid)
                            .setProducerEpoch(epoch).setGroupId("")).build((short) 0));
            assertThat(Errors.forCode(noGroup.data().errorCode())).isEqualTo(Errors.INVALID_GROUP_ID);
            AddOffsetsToTxnResponse offsets = socket.roundTrip(new AddOffsetsToTxnRequest.Builder(
                    new AddOffsetsToTxnRequestData().setTransactionalId("proto-sm").setProducerId(pid)
                            .setProducerEpoch(epoch).setGroupId("proto-group")).build((short) 4));
            assertThat(Errors.forCode(offsets.data().errorCode())).isEqualTo(Errors.NONE);

            for (short v = 0; v <= 4; v++) {
                TxnOffsetCommitRequestData data = new TxnOffsetCommitRequestData().setTransactionalId("proto-sm")
                        .setGroupId("proto-group").setProducerId(pid).setProducerEpoch(epoch)
                        .setTopics(List.of(
                                new TxnOffsetCommitRequestTopic().setName("proto").setPartitions(List.of(
                                        new TxnOffsetCommitRequestPartition().setPartitionIndex(0)
                                                .setCommittedOffset(5))),
                                new TxnOffsetCommitRequestTopic().setName("no-such-topic").setPartitions(List.of(
                                        new TxnOffsetCommitRequestPartition().setPartitionIndex(0)
                                                .setCommittedOffset(5)))));
                TxnOffsetCommitResponse r = socket.roundTrip(new TxnOffsetCommitRequest.Builder(data).build(v));
                assertThat(r.errors()).as("v%d", v).containsEntry(tp, Errors.NONE)
                        .containsEntry(new TopicPartition("no-such-topic", 0), Errors.UNKNOWN_TOPIC_OR_PARTITION);
            }

            assertThat(endTxn(socket, "proto-sm", pid, epoch, false, (short) 4).error()).isEqualTo(Errors.NONE);
            // A retried abort is answered as done; a commit of what was aborted is not.
            assertThat(endTxn(socket, "proto-sm", pid, epoch, false, (short) 2).error()).isEqualTo(Errors.NONE);
            assertThat(endTxn(socket, "proto-sm", pid, epoch, true, (short) 2).error())
                    .isEqualTo(Errors.INVALID_TXN_STATE);
        }
        ItClients.assertProduceAndConsumeWork(broker.bootstrapServers(), "proto-after");
    }

    @Test
    void aTransactionalBatchOutsideTheProducersOpenTransactionIsRefused() throws Exception {
        ItClients.createTopic(broker.bootstrapServers(), "proto-verify", 1);
        TopicPartition tp = new TopicPartition("proto-verify", 0);
        try (RawKafkaSocket socket = RawKafkaSocket.connect(broker.port())) {
            InitProducerIdResponse init = init(socket, "proto-verify", 10_000, (short) 4);
            long pid = init.data().producerId();
            short epoch = init.data().producerEpoch();

            // Not added to a transaction: appending it would open a transaction no marker ever ends.
            assertThat(produce(socket, "proto-verify", pid, epoch, 0)).isEqualTo(Errors.INVALID_TXN_STATE);
            assertThat(produce(socket, "proto-verify", pid, epoch, 0, null)).isEqualTo(Errors.INVALID_TXN_STATE);

            socket.roundTrip(AddPartitionsToTxnRequest.Builder.forClient("proto-verify", pid, epoch, List.of(tp))
                    .build((short) 3));
            assertThat(produce(socket, "proto-verify", pid, epoch, 0)).isEqualTo(Errors.NONE);
            assertThat(produce(socket, "proto-verify", pid, epoch, 1)).isEqualTo(Errors.NONE);

            // A new instance fences this one (first CONCURRENT_TRANSACTIONS while the open transaction is aborted
            // under a bumped epoch); the old instance's late write to the partition is refused.
            InitProducerIdResponse successor = init(socket, "proto-verify", 10_000, (short) 4);
            assertThat(successor.error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
            for (int i = 0; i < 50 && successor.error() == Errors.CONCURRENT_TRANSACTIONS; i++) {
                Thread.sleep(100);
                successor = init(socket, "proto-verify", 10_000, (short) 4);
            }
            assertThat(successor.error()).isEqualTo(Errors.NONE);
            assertThat(successor.data().producerEpoch()).isEqualTo((short) (epoch + 2));
            assertThat(produce(socket, "proto-verify", pid, epoch, 2)).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        }
        assertThat(TxnItSupport.endOffsets(broker.bootstrapServers(), "proto-verify", 1, true))
                .as("nothing hangs: the last stable offset is the log end")
                .isEqualTo(TxnItSupport.endOffsets(broker.bootstrapServers(), "proto-verify", 1, false));
    }

    private static Errors produce(RawKafkaSocket socket, String topic, long pid, short epoch, int sequence)
            throws Exception {
        return produce(socket, topic, pid, epoch, sequence, topic);
    }

    private static Errors produce(RawKafkaSocket socket, String topic, long pid, short epoch, int sequence,
                                  String transactionalId) throws Exception {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(512), RecordBatch.CURRENT_MAGIC_VALUE,
                Compression.NONE, TimestampType.CREATE_TIME, 0L, System.currentTimeMillis(), pid, epoch, sequence,
                true, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        builder.append(System.currentTimeMillis(), "k".getBytes(StandardCharsets.UTF_8),
                "v".getBytes(StandardCharsets.UTF_8));
        ProduceRequestData data = new ProduceRequestData()
                .setTransactionalId(transactionalId)
                .setAcks((short) -1)
                .setTimeoutMs(30_000)
                .setTopicData(new ProduceRequestData.TopicProduceDataCollection(List.of(
                        new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(
                                new ProduceRequestData.PartitionProduceData().setIndex(0)
                                        .setRecords(builder.build())))).iterator()));
        ProduceResponse response = socket.roundTrip(ProduceRequest.builder(data, true).build((short) 11));
        return Errors.forCode(response.data().responses().iterator().next().partitionResponses().get(0).errorCode());
    }

    private static EndTxnResponse endTxn(RawKafkaSocket socket, String id, long pid, short epoch, boolean commit,
                                         short version) throws Exception {
        return socket.roundTrip(new EndTxnRequest.Builder(new EndTxnRequestData().setTransactionalId(id)
                .setProducerId(pid).setProducerEpoch(epoch).setCommitted(commit), false).build(version));
    }
}
