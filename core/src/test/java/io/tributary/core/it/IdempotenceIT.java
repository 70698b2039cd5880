package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idempotent produce: the Java producer with idempotence and retries, and the broker's duplicate and
 * sequence checks driven directly with kafka-clients' own request classes over a raw socket.
 */
class IdempotenceIT {

    private static final long T = 30;

    @TempDir
    static Path dataDir;

    private static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.start(dataDir);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void idempotentJavaProducerWithRetriesWritesEveryRecordOnce() throws Exception {
        String topic = "idem-java";
        ItClients.createTopic(broker.bootstrapServers(), topic, 2);
        int count = 500;
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (KafkaProducer<String, String> producer = ItClients.producer(broker.bootstrapServers(), Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.BATCH_SIZE_CONFIG, 1024))) {
            for (int i = 0; i < count; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "v" + i)));
            }
            producer.flush();
            for (int i = 0; i < count; i++) {
                RecordMetadata md = futures.get(i).get(T, TimeUnit.SECONDS);
                assertThat(md.partition()).isEqualTo(i % 2);
                assertThat(md.offset()).as("offset of record %d", i).isEqualTo(i / 2);
            }
        }
        List<ConsumerRecord<String, String>> read = ItClients.readToEnd(broker.bootstrapServers(), topic, 2);
        assertThat(read).hasSize(count);
        for (ConsumerRecord<String, String> r : read) {
            int i = (int) (r.offset() * 2 + r.partition());
            assertThat(r.value()).isEqualTo("v" + i);
            assertThat(r.key()).isEqualTo("k" + i);
        }
    }

    /**
     * The same idempotent batch sent twice is appended once, and both answers carry the same base
     * offset; later batches continue the sequence; a gap is refused. Produce v3 is the oldest
     * non-flexible version, v9 the first flexible one, v13 addresses topics by id.
     */
    @ParameterizedTest(name = "produce v{0}")
    @ValueSource(shorts = {3, 9, 12, 13})
    void duplicateBatchesAreAppendedOnceAndSequenceGapsAreRefused(short version) throws Exception {
        String topic = "idem-raw-v" + version;
        ItClients.createTopic(broker.bootstrapServers(), topic, 1);
        Uuid topicId;
        try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
            topicId = admin.describeTopics(List.of(topic)).allTopicNames().get(T, TimeUnit.SECONDS).get(topic).topicId();
        }

        try (RawKafkaSocket socket = RawKafkaSocket.connect(broker.port())) {
            InitProducerIdResponse init = socket.roundTrip(new InitProducerIdRequest.Builder(
                    new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000))
                    .build((short) 4));
            assertThat(init.error()).isEqualTo(Errors.NONE);
            long producerId = init.data().producerId();
            short epoch = init.data().producerEpoch();
            assertThat(producerId).isGreaterThanOrEqualTo(0);
            assertThat(epoch).isEqualTo((short) 0);

            // Sequence 0..2, sent twice.
            ProduceResponseData.PartitionProduceResponse first =
                    produce(socket, version, topic, topicId, batch(producerId, epoch, 0, "a", "b", "c"));
            assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.NONE);
            assertThat(first.baseOffset()).isEqualTo(0);
            ProduceResponseData.PartitionProduceResponse again =
                    produce(socket, version, topic, topicId, batch(producerId, epoch, 0, "a", "b", "c"));
            assertThat(Errors.forCode(again.errorCode())).as("a duplicate is acknowledged as a success")
                    .isEqualTo(Errors.NONE);
            assertThat(again.baseOffset()).as("a duplicate gets the original base offset").isEqualTo(first.baseOffset());
            assertThat(latestOffset(topic)).as("the log holds the batch once").isEqualTo(3);

            // The next batch, sequence 3..4, follows; resending the first batch still finds it
            // (the broker remembers the last five batches of a producer).
            ProduceResponseData.PartitionProduceResponse second =
                    produce(socket, version, topic, topicId, batch(producerId, epoch, 3, "d", "e"));
            assertThat(Errors.forCode(second.errorCode())).isEqualTo(Errors.NONE);
            assertThat(second.baseOffset()).isEqualTo(3);
            ProduceResponseData.PartitionProduceResponse olderDuplicate =
                    produce(socket, version, topic, topicId, batch(producerId, epoch, 0, "a", "b", "c"));
            assertThat(Errors.forCode(olderDuplicate.errorCode())).isEqualTo(Errors.NONE);
            assertThat(olderDuplicate.baseOffset()).isEqualTo(0);

            // A gap: sequence 7 while 5 is expected.
            ProduceResponseData.PartitionProduceResponse gap =
                    produce(socket, version, topic, topicId, batch(producerId, epoch, 7, "x"));
            assertThat(Errors.forCode(gap.errorCode())).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);

            // The connection and the producer are still usable: sequence 5 is accepted.
            ProduceResponseData.PartitionProduceResponse third =
                    produce(socket, version, topic, topicId, batch(producerId, epoch, 5, "f"));
            assertThat(Errors.forCode(third.errorCode())).isEqualTo(Errors.NONE);
            assertThat(third.baseOffset()).isEqualTo(5);
        }

        assertThat(latestOffset(topic)).isEqualTo(6);
        List<ConsumerRecord<String, String>> read = ItClients.readToEnd(broker.bootstrapServers(), topic, 1);
        assertThat(read).extracting(ConsumerRecord::value).containsExactly("a", "b", "c", "d", "e", "f");
        assertThat(read).extracting(ConsumerRecord::offset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aNewProducerMayNotStartWithAnOldEpochOnceANewerOneWrote() throws Exception {
        String topic = "idem-epoch";
        ItClients.createTopic(broker.bootstrapServers(), topic, 1);
        try (RawKafkaSocket socket = RawKafkaSocket.connect(broker.port())) {
            InitProducerIdResponse a = socket.roundTrip(new InitProducerIdRequest.Builder(
                    new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000))
                    .build((short) 4));
            InitProducerIdResponse b = socket.roundTrip(new InitProducerIdRequest.Builder(
                    new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000))
                    .build((short) 4));
            assertThat(a.error()).isEqualTo(Errors.NONE);
            assertThat(b.error()).isEqualTo(Errors.NONE);
            assertThat(b.data().producerId()).as("each InitProducerId gives a new producer id")
                    .isNotEqualTo(a.data().producerId());
            long pid = a.data().producerId();
            // Epoch 1 writes first; epoch 0 of the same producer id is then fenced.
            ProduceResponseData.PartitionProduceResponse newer =
                    produce(socket, (short) 12, topic, Uuid.ZERO_UUID, batch(pid, (short) 1, 0, "new"));
            assertThat(Errors.forCode(newer.errorCode())).isEqualTo(Errors.NONE);
            ProduceResponseData.PartitionProduceResponse older =
                    produce(socket, (short) 12, topic, Uuid.ZERO_UUID, batch(pid, (short) 0, 1, "old"));
            assertThat(Errors.forCode(older.errorCode())).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
            // A new epoch must start at sequence 0.
            ProduceResponseData.PartitionProduceResponse badStart =
                    produce(socket, (short) 12, topic, Uuid.ZERO_UUID, batch(pid, (short) 2, 4, "late"));
            assertThat(Errors.forCode(badStart.errorCode())).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        }
        assertThat(latestOffset(topic)).isEqualTo(1);
    }

    private static MemoryRecords batch(long producerId, short epoch, int baseSequence, String... values) {
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, RecordBatch.CURRENT_MAGIC_VALUE, Compression.NONE,
                TimestampType.CREATE_TIME, 0L, System.currentTimeMillis(), producerId, epoch, baseSequence);
        for (String value : values) {
            builder.append(System.currentTimeMillis(), ("key-" + value).getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private static ProduceResponseData.PartitionProduceResponse produce(RawKafkaSocket socket, short version,
                                                                        String topic, Uuid topicId,
                                                                        MemoryRecords records) throws Exception {
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData()
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                        .setIndex(0)
                        .setRecords(records)));
        if (version >= 13) {
            topicData.setTopicId(topicId);
        } else {
            topicData.setName(topic);
        }
        ProduceRequestData data = new ProduceRequestData()
                .setAcks((short) -1)
                .setTimeoutMs(30_000)
                .setTopicData(new ProduceRequestData.TopicProduceDataCollection(List.of(topicData).iterator()));
        ProduceRequest request = ProduceRequest.builder(data).build(version);
        ProduceResponse response = socket.roundTrip(request);
        assertThat(response.data().responses()).hasSize(1);
        ProduceResponseData.TopicProduceResponse topicResponse = response.data().responses().iterator().next();
        assertThat(topicResponse.partitionResponses()).hasSize(1);
        return topicResponse.partitionResponses().get(0);
    }

    private static long latestOffset(String topic) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get(T, TimeUnit.SECONDS).offset();
        }
    }
}
