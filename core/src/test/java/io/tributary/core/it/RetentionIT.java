package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DeletedRecords;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Retention by time and by size through the real Kafka clients: exactly the expected whole segments go, the log
 * start offset moves, DeleteRecords moves it on request, and a consumer positioned before it resets by its
 * auto.offset.reset. Retention passes are triggered by the test (the periodic timer is set far out) so the
 * segments on disk can be compared before and after one pass.
 */
class RetentionIT {

    @TempDir
    static Path dataDir;
    static EmbeddedBroker broker;
    static LogItSupport.BlockedThreadWatch blocked;

    @BeforeAll
    static void start() throws Exception {
        blocked = new LogItSupport.BlockedThreadWatch();
        broker = LogItSupport.start(dataDir, Map.of("log.retention.check.interval.ms", "3600000"));
    }

    @AfterAll
    static void stop() {
        broker.stop();
        assertThat(blocked.warnings()).as("blocked-thread warnings").isEmpty();
        blocked.close();
    }

    private static KafkaProducer<String, String> producer() {
        // One record per request, so each send is one batch and segment boundaries follow the records.
        return ItClients.producer(broker.bootstrapServers(), Map.of(ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ACKS_CONFIG, "all"));
    }

    private static int retentionPass() throws Exception {
        return broker.broker().logs().retentionPass().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void retentionMsDeletesExactlyTheSegmentsHoldingOnlyExpiredRecords() throws Exception {
        String topic = "retention-time";
        TopicPartition tp = new TopicPartition(topic, 0);
        // segment.ms of a minute: the first record an hour newer than a segment's first one rolls it.
        ItClients.createTopic(broker.bootstrapServers(), topic, 1, Map.of("segment.bytes", "600",
                "segment.ms", "60000", "retention.ms", "1800000"));
        long now = System.currentTimeMillis();
        long firstRecent;
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>(topic, 0, now - 7_200_000L, "k" + i, "old-" + i)).get();
            }
            firstRecent = producer.send(new ProducerRecord<>(topic, 0, now, "k", "recent-0")).get().offset();
            for (int i = 1; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, now, "k" + i, "recent-" + i)).get();
            }
        }
        List<Long> before = LogItSupport.segmentFiles(broker, tp);
        assertThat(before).as("the old records span several segments").hasSizeGreaterThan(3).contains(firstRecent);

        assertThat(retentionPass()).isEqualTo(before.indexOf(firstRecent));
        assertThat(LogItSupport.segmentFiles(broker, tp)).isEqualTo(before.subList(before.indexOf(firstRecent), before.size()));
        assertThat((long) LogItSupport.<Long>onOwner(broker, tp, p -> p.logStartOffset())).isEqualTo(firstRecent);
        List<ConsumerRecord<String, String>> left = ItClients.readToEnd(broker.bootstrapServers(), topic, 1);
        assertThat(left).extracting(ConsumerRecord::value)
                .containsExactly("recent-0", "recent-1", "recent-2", "recent-3", "recent-4", "recent-5", "recent-6",
                        "recent-7", "recent-8", "recent-9");
        assertThat(left.get(0).offset()).isEqualTo(firstRecent);
        // Nothing more is due.
        assertThat(retentionPass()).isZero();
    }

    @Test
    void retentionBytesDeletesOldestSegmentsWhileTheRestStillHoldsTheLimit() throws Exception {
        String topic = "retention-size";
        TopicPartition tp = new TopicPartition(topic, 0);
        long limit = 3000;
        ItClients.createTopic(broker.bootstrapServers(), topic, 1, Map.of("segment.bytes", "700",
                "retention.bytes", String.valueOf(limit)));
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 80; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, "value-" + i)).get();
            }
        }
        List<Long> before = LogItSupport.segmentFiles(broker, tp);
        List<Long> sizes = new ArrayList<>();
        long total = 0;
        for (long base : before) {
            long size = LogItSupport.segmentSize(broker, tp, base);
            sizes.add(size);
            total += size;
        }
        // Kafka's rule, oldest first: a segment goes while the log minus it is still at least retention.bytes.
        int expected = 0;
        long excess = total - limit;
        while (expected < before.size() - 1 && excess - sizes.get(expected) >= 0) {
            excess -= sizes.get(expected);
            expected++;
        }
        assertThat(expected).isPositive();

        assertThat(retentionPass()).isEqualTo(expected);
        assertThat(LogItSupport.segmentFiles(broker, tp)).isEqualTo(before.subList(expected, before.size()));
        assertThat((long) LogItSupport.<Long>onOwner(broker, tp, p -> p.logStartOffset())).isEqualTo(before.get(expected));
        assertThat((long) LogItSupport.<Long>onOwner(broker, tp, p -> p.log().sizeInBytes())).isGreaterThanOrEqualTo(limit);
    }

    @Test
    void deleteRecordsMovesTheLogStartAndConsumersBehindItReset() throws Exception {
        String topic = "delete-records";
        TopicPartition tp = new TopicPartition(topic, 0);
        ItClients.createTopic(broker.bootstrapServers(), topic, 1, Map.of("segment.bytes", "500"));
        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 40; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i)).get());
            }
        }
        List<Long> segmentsBefore = LogItSupport.segmentFiles(broker, tp);

        try (KafkaConsumer<String, String> earliest = ItClients.consumer(broker.bootstrapServers());
             KafkaConsumer<String, String> latest = ItClients.consumer(broker.bootstrapServers(),
                     Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"));
             KafkaConsumer<String, String> none = ItClients.consumer(broker.bootstrapServers(),
                     Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"));
             Admin admin = ItClients.admin(broker.bootstrapServers())) {
            for (KafkaConsumer<String, String> c : List.of(earliest, latest, none)) {
                c.assign(List.of(tp));
                c.seek(tp, 5);
            }
            DeletedRecords deleted = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(25)))
                    .lowWatermarks().get(tp).get(30, TimeUnit.SECONDS);
            assertThat(deleted.lowWatermark()).isEqualTo(25);
            assertThat(admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.earliest()))
                    .partitionResult(tp).get(30, TimeUnit.SECONDS).offset()).isEqualTo(25);
            // Whole segments below 25 are gone from disk; the one holding 25 stays.
            List<Long> segmentsAfter = LogItSupport.segmentFiles(broker, tp);
            assertThat(segmentsAfter.get(0)).isLessThanOrEqualTo(25);
            assertThat(segmentsAfter).hasSizeLessThan(segmentsBefore.size());

            // Positioned at 5, now below the log start: earliest resets to 25, latest to the end, none fails.
            List<ConsumerRecord<String, String>> got = pollUntil(earliest, 15);
            assertThat(got.get(0).offset()).isEqualTo(25);
            assertThat(got).extracting(ConsumerRecord::value).startsWith("v25", "v26");
            latest.poll(Duration.ofMillis(500));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (latest.position(tp) != 40 && System.nanoTime() < deadline) {
                latest.poll(Duration.ofMillis(100));
            }
            assertThat(latest.position(tp)).isEqualTo(40);
            assertThatThrownBy(() -> {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (System.nanoTime() < until) {
                    none.poll(Duration.ofMillis(100));
                }
            }).isInstanceOf(OffsetOutOfRangeException.class);

            // -1 means the high watermark; beyond it is refused.
            assertThat(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(-1))).lowWatermarks().get(tp)
                    .get(30, TimeUnit.SECONDS).lowWatermark()).isEqualTo(40);
            assertThatThrownBy(() -> admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(41)))
                    .lowWatermarks().get(tp).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.OffsetOutOfRangeException.class);
        }
        // The new log start survives a restart.
        broker.restart();
        try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
            assertThat(admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.earliest()))
                    .partitionResult(tp).get(30, TimeUnit.SECONDS).offset()).isEqualTo(40);
        }
    }

    @Test
    void deleteRecordsOnACompactOnlyTopicIsAPolicyViolation() throws Exception {
        String topic = "delete-records-compacted";
        TopicPartition tp = new TopicPartition(topic, 0);
        ItClients.createTopic(broker.bootstrapServers(), topic, 1, Map.of("cleanup.policy", "compact"));
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, 0, "k", "v")).get();
        }
        try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
            assertThatThrownBy(() -> admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(1)))
                    .lowWatermarks().get(tp).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(PolicyViolationException.class);
        }
    }

    private static List<ConsumerRecord<String, String>> pollUntil(KafkaConsumer<String, String> c, int count) {
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (got.size() < count && System.nanoTime() < deadline) {
            c.poll(Duration.ofMillis(100)).forEach(got::add);
        }
        assertThat(got).hasSizeGreaterThanOrEqualTo(count);
        return got;
    }
}
