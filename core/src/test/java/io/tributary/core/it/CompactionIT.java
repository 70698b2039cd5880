package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.InvalidRecordException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A compacted topic written by a real producer (lz4 batches, many updates per key, tombstones): the background
 * cleaner leaves exactly the newest value of every key, at the offset the producer was given, and drops the
 * tombstones once delete.retention.ms has passed. Keyless records are refused with INVALID_RECORD.
 */
class CompactionIT {

    private static final int KEYS = 40;
    private static final int UPDATES = 25;
    private static final int DELETED = 8;

    @TempDir
    static Path dataDir;
    static EmbeddedBroker broker;
    static LogItSupport.BlockedThreadWatch blocked;

    @BeforeAll
    static void start() throws Exception {
        blocked = new LogItSupport.BlockedThreadWatch();
        broker = LogItSupport.start(dataDir, Map.of("log.cleaner.backoff.ms", "100"));
    }

    @AfterAll
    static void stop() {
        broker.stop();
        assertThat(blocked.warnings()).as("blocked-thread warnings").isEmpty();
        blocked.close();
    }

    @Test
    void theCleanerKeepsTheNewestValuePerKeyAndDropsExpiredTombstones() throws Exception {
        String topic = "compacted";
        TopicPartition tp = new TopicPartition(topic, 0);
        ItClients.createTopic(broker.bootstrapServers(), topic, 1, Map.of("cleanup.policy", "compact",
                "segment.bytes", "2048", "min.cleanable.dirty.ratio", "0.01", "delete.retention.ms", "1500"));

        Map<String, Long> newestOffset = new HashMap<>();
        Map<String, String> newestValue = new HashMap<>();
        try (KafkaProducer<String, String> producer = ItClients.producer(broker.bootstrapServers(), Map.of(
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 512, ProducerConfig.ACKS_CONFIG, "all"))) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            List<String[]> sent = new ArrayList<>();
            for (int u = 0; u < UPDATES; u++) {
                for (int k = 0; k < KEYS; k++) {
                    String key = "key-" + k;
                    String value = u == UPDATES - 1 && k < DELETED ? null : "update-" + u + "-of-" + k;
                    sends.add(producer.send(new ProducerRecord<>(topic, 0, key, value)));
                    sent.add(new String[]{key, value});
                }
            }
            for (int i = 0; i < sends.size(); i++) {
                long offset = sends.get(i).get(30, TimeUnit.SECONDS).offset();
                newestOffset.put(sent.get(i)[0], offset);
                newestValue.put(sent.get(i)[0], sent.get(i)[1]);
            }
            // Roll past every update, so all of them sit in sealed, cleanable segments.
            long last = newestOffset.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            int filler = 0;
            while (LogItSupport.<Long>onOwner(broker, tp, p -> p.log().activeSegmentBaseOffset()) <= last) {
                producer.send(new ProducerRecord<>(topic, 0, "filler-" + filler, "f" + filler++)).get();
            }

            // A compacted topic refuses a record without a key.
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, 0, null, "no key")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InvalidRecordException.class);
        }

        // Bounded wait for the cleaner: first the compaction, then the tombstones' delete horizon.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<ConsumerRecord<String, String>> records = ItClients.readToEnd(broker.bootstrapServers(), topic, 1);
        while (!fullyCompacted(records) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            records = ItClients.readToEnd(broker.bootstrapServers(), topic, 1);
        }
        Map<String, ConsumerRecord<String, String>> byKey = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            if (r.key().startsWith("key-")) {
                assertThat(byKey.put(r.key(), r)).as("a second record for %s", r.key()).isNull();
            }
        }
        assertThat(byKey).hasSize(KEYS - DELETED);
        for (int k = DELETED; k < KEYS; k++) {
            ConsumerRecord<String, String> r = byKey.get("key-" + k);
            assertThat(r.value()).isEqualTo(newestValue.get("key-" + k));
            assertThat(r.offset()).isEqualTo(newestOffset.get("key-" + k));
        }
        for (int k = 0; k < DELETED; k++) {
            assertThat(byKey).doesNotContainKey("key-" + k);
        }
        // Offsets only ever grow, with gaps where records were removed.
        for (int i = 1; i < records.size(); i++) {
            assertThat(records.get(i).offset()).isGreaterThan(records.get(i - 1).offset());
        }

        // A clean restart and the result is the same.
        broker.restart();
        List<ConsumerRecord<String, String>> afterRestart = ItClients.readToEnd(broker.bootstrapServers(), topic, 1);
        assertThat(afterRestart).extracting(ConsumerRecord::offset)
                .containsExactlyElementsOf(records.stream().map(ConsumerRecord::offset).toList());
    }

    /** One record per updated key, and no tombstone left among them. */
    private static boolean fullyCompacted(List<ConsumerRecord<String, String>> records) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            if (r.key().startsWith("key-")) {
                if (r.value() == null) {
                    return false;
                }
                counts.merge(r.key(), 1, Integer::sum);
            }
        }
        return counts.size() == KEYS - DELETED && counts.values().stream().allMatch(c -> c == 1);
    }
}
