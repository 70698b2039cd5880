package io.tributary.core.it;

import io.tributary.core.api.ApiException;
import io.tributary.core.api.AppendedRecord;
import io.tributary.core.api.AssignmentListener;
import io.tributary.core.api.BrokerApi;
import io.tributary.core.api.GroupMembership;
import io.tributary.core.api.NewRecord;
import io.tributary.core.api.RecordHeader;
import io.tributary.core.api.Records;
import io.tributary.core.api.RecordsRead;
import io.tributary.core.testing.EmbeddedBroker;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The Java API the gateways use, checked against what real Kafka clients write and read. */
class BrokerApiIT {

    @TempDir
    Path dir;
    private EmbeddedBroker embedded;
    private BrokerApi api;

    @BeforeEach
    void start() {
        embedded = EmbeddedBroker.start(dir, Map.of("offsets.topic.num.partitions", "1",
                "group.consumer.heartbeat.interval.ms", "500"));
        api = embedded.broker().api();
    }

    @AfterEach
    void stop() {
        embedded.stop();
    }

    @Test
    void appendedRecordsAreReadByAKafkaConsumerWithKeysHeadersAndTheProducersPartitioning() throws Exception {
        ItClients.createTopic(embedded.bootstrapServers(), "api-in", 4);
        List<NewRecord> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(new NewRecord(bytes("sensor/" + i), bytes("v" + i),
                    List.of(new RecordHeader("n", bytes(String.valueOf(i)))), 1_700_000_000_000L + i));
        }
        List<AppendedRecord> appended = get(() -> api.records().append("api-in", Records.ANY_PARTITION, records));
        assertThat(appended).hasSize(20);

        List<ConsumerRecord<String, String>> read = ItClients.readAll(embedded.bootstrapServers(), "api-in", 4, 20);
        assertThat(read).hasSize(20);
        try (KafkaProducer<String, String> producer = ItClients.producer(embedded.bootstrapServers())) {
            for (ConsumerRecord<String, String> r : read) {
                int i = Integer.parseInt(r.value().substring(1));
                assertThat(r.key()).isEqualTo("sensor/" + i);
                assertThat(r.timestamp()).isEqualTo(1_700_000_000_000L + i);
                assertThat(new String(r.headers().lastHeader("n").value(), StandardCharsets.UTF_8)).isEqualTo("" + i);
                assertThat(appended.get(i).partition()).isEqualTo(r.partition());
                assertThat(appended.get(i).offset()).isEqualTo(r.offset());
                // The Kafka producer's default partitioner puts the same key in the same partition.
                RecordMetadata meta = producer.send(new ProducerRecord<>("api-in", r.key(), "again")).get();
                assertThat(meta.partition()).isEqualTo(r.partition());
            }
        }
    }

    @Test
    void readReturnsWhatAKafkaProducerWroteAndPollWaitsForTheNextAppend() throws Exception {
        ItClients.createTopic(embedded.bootstrapServers(), "api-out", 1);
        TopicPartition tp = new TopicPartition("api-out", 0);
        try (KafkaProducer<String, String> producer = ItClients.producer(embedded.bootstrapServers())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("api-out", "k" + i, "v" + i)).get();
            }
        }
        RecordsRead read = get(() -> api.records().read(tp, 2, 1 << 20));
        assertThat(read.records()).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("v2", "v3", "v4");
        assertThat(read.nextOffset()).isEqualTo(5);
        assertThat(read.highWatermark()).isEqualTo(5);

        RecordsRead empty = get(() -> api.records().poll(tp, 5, 1 << 20, 200));
        assertThat(empty.records()).isEmpty();
        assertThat(empty.nextOffset()).isEqualTo(5);

        CompletableFuture<RecordsRead> waiting = onContext(() -> api.records().poll(tp, 5, 1 << 20, 30_000));
        assertThat(waiting).isNotDone();
        get(() -> api.records().append("api-out", 0, List.of(NewRecord.of(null, bytes("late")))));
        RecordsRead woken = waiting.get(10, TimeUnit.SECONDS);
        assertThat(woken.records()).singleElement()
                .satisfies(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("late"));
        assertThat(woken.records().get(0).offset()).isEqualTo(5);
    }

    @Test
    void offsetsByTimeAndTheReadableRange() throws Exception {
        TopicPartition tp = new TopicPartition("api-time", 0);
        get(() -> api.records().append("api-time", 0, List.of(
                new NewRecord(null, bytes("a"), List.of(), 1000L),
                new NewRecord(null, bytes("b"), List.of(), 2000L),
                new NewRecord(null, bytes("c"), List.of(), 3000L))));
        assertThat(get(() -> api.records().offsetFor(tp, Records.EARLIEST))).isZero();
        assertThat(get(() -> api.records().offsetFor(tp, Records.LATEST))).isEqualTo(3);
        assertThat(get(() -> api.records().offsetFor(tp, 1500L))).isEqualTo(1);
        assertThat(get(() -> api.records().offsetFor(tp, 9999L))).isEqualTo(3);
        assertThat(get(() -> api.records().offsets(tp)).highWatermark()).isEqualTo(3);
    }

    @Test
    void failuresCarryAReasonTheCallerCanMap() throws Exception {
        ItClients.createTopic(embedded.bootstrapServers(), "api-two", 2);
        ItClients.createTopic(embedded.bootstrapServers(), "api-compact", 1, Map.of("cleanup.policy", "compact"));
        assertReason(() -> api.records().append("api-two", 7, List.of(NewRecord.of(null, bytes("x")))),
                ApiException.Reason.UNKNOWN_PARTITION);
        assertReason(() -> api.records().append("api-compact", 0, List.of(NewRecord.of(null, bytes("x")))),
                ApiException.Reason.INVALID_REQUEST);
        assertReason(() -> api.records().read(new TopicPartition("api-two", 0), 42, 1024),
                ApiException.Reason.OFFSET_OUT_OF_RANGE);
        assertReason(() -> api.records().read(new TopicPartition("nope", 0), 0, 1024),
                ApiException.Reason.UNKNOWN_TOPIC);
        assertReason(() -> api.topics().ensure("bad name!"), ApiException.Reason.INVALID_TOPIC);
        assertReason(() -> api.topics().create("api-two", 1, Map.of()), ApiException.Reason.TOPIC_EXISTS);
    }

    @Test
    void missingTopicsAreRefusedWhenAutoCreationIsOff() throws Exception {
        embedded.stop();
        embedded = EmbeddedBroker.start(dir, Map.of("auto.create.topics.enable", "false"));
        api = embedded.broker().api();
        assertReason(() -> api.records().append("absent", Records.ANY_PARTITION, List.of(NewRecord.of(null, bytes("x")))),
                ApiException.Reason.UNKNOWN_TOPIC);
        assertThat(api.topics().describe("absent")).isEmpty();
    }

    @Test
    void anApiMemberSharesAGroupWithAKafkaConsumerAndCommitsOffsets() throws Exception {
        ItClients.createTopic(embedded.bootstrapServers(), "api-group", 4);
        Set<TopicPartition> owned = Collections.synchronizedSet(new HashSet<>());
        List<Set<TopicPartition>> revocations = new CopyOnWriteArrayList<>();
        AssignmentListener listener = new AssignmentListener() {
            @Override
            public void onAssigned(Set<TopicPartition> partitions) {
                owned.addAll(partitions);
            }

            @Override
            public Future<Void> onRevoked(Set<TopicPartition> partitions) {
                revocations.add(Set.copyOf(partitions));
                owned.removeAll(partitions);
                return Future.succeededFuture();
            }
        };
        GroupMembership member = get(() -> api.groups().join("g-api", "api-test", List.of("api-group"), listener));
        await().atMost(Duration.ofSeconds(20)).until(() -> owned.size() == 4);

        try (KafkaConsumer<String, String> consumer = ItClients.consumer(embedded.bootstrapServers(), Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "g-api", ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"))) {
            consumer.subscribe(List.of("api-group"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100));
                return consumer.assignment().size() == 2 && owned.size() == 2;
            });
            Set<TopicPartition> both = new HashSet<>(owned);
            both.addAll(consumer.assignment());
            assertThat(both).hasSize(4);
            assertThat(revocations).isNotEmpty();

            TopicPartition mine = owned.iterator().next();
            get(() -> member.commit(Map.of(mine, 3L)));
            assertThat(get(() -> api.groups().committed("g-api", List.of(mine)))).containsEntry(mine, 3L);
            assertThat(consumer.committed(Set.of(mine)).get(mine).offset()).isEqualTo(3L);

            get(member::leave);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100));
                return consumer.assignment().size() == 4;
            });
        }
    }

    private void assertReason(Supplier<Future<?>> call, ApiException.Reason reason) {
        assertThatThrownBy(() -> get(call::get))
                .hasCauseInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e.getCause()).reason()).isEqualTo(reason));
    }

    /** Runs the call on a Vert.x context of the broker, as a gateway would, and waits for it. */
    private <T> T get(Supplier<Future<T>> call) throws Exception {
        return onContext(call).get(30, TimeUnit.SECONDS);
    }

    private <T> CompletableFuture<T> onContext(Supplier<Future<T>> call) {
        Context context = embedded.broker().vertx().getOrCreateContext();
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> call.get().onComplete(ar -> {
            if (ar.succeeded()) {
                result.complete(ar.result());
            } else {
                result.completeExceptionally(ar.cause());
            }
        }));
        return result;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
