package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Long-poll fetch: a fetch parked for lack of data is answered when a record is appended, not when
 * its max wait runs out; a fetch on an empty partition ends empty and without error at its max wait.
 */
class LongPollIT {

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
    void aParkedFetchIsAnsweredByTheNextAppendBeforeItsMaxWait() throws Exception {
        String topic = "long-poll";
        ItClients.createTopic(broker.bootstrapServers(), topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = ItClients.consumer(broker.bootstrapServers(), Map.of(
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5_000));
             KafkaProducer<String, String> producer = ItClients.producer(broker.bootstrapServers())) {
            // Warm the producer up (metadata, connection) so the send below is quick.
            producer.partitionsFor(topic);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            assertThat(consumer.position(tp)).isEqualTo(0);
            // This poll sends a fetch that the broker parks: the partition is empty, min bytes is 1.
            assertThat(consumer.poll(Duration.ofMillis(500)).isEmpty()).isTrue();

            RecordMetadata md = producer.send(new ProducerRecord<>(topic, 0, "k", "woke-you")).get(30, TimeUnit.SECONDS);
            assertThat(md.offset()).isEqualTo(0);

            // The fetch in flight has waited about 0.5 s of its 5 s. If the append did not wake it,
            // its answer comes about 4.5 s from now, after this bounded wait gives up.
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4_000);
            while (got.isEmpty() && System.nanoTime() < deadline) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                consumer.poll(Duration.ofMillis(Math.max(1, left))).forEach(got::add);
            }
            assertThat(got).as("the record appended while the fetch was parked, delivered before the fetch's "
                    + "max wait of 5 s ran out").isNotEmpty();
            assertThat(got.get(0).value()).isEqualTo("woke-you");
            assertThat(got.get(0).offset()).isEqualTo(0);
        }
    }

    @Test
    void aFetchOnAnEmptyTopicEndsEmptyWithoutErrorAtItsMaxWait() throws Exception {
        String topic = "long-poll-empty";
        ItClients.createTopic(broker.bootstrapServers(), topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = ItClients.consumer(broker.bootstrapServers(), Map.of(
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 500))) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            assertThat(consumer.position(tp)).isEqualTo(0);
            // Several fetch round trips: each one comes back empty and without error (an error would be
            // thrown by poll or show in the fetch error metrics).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(300));
                assertThat(records.isEmpty()).isTrue();
            }
            assertThat(consumer.position(tp)).isEqualTo(0);
            double fetches = metric(consumer, "fetch-total");
            assertThat(fetches).as("completed fetches in 3 s with max wait 500 ms").isGreaterThanOrEqualTo(2);
            Map<TopicPartition, Long> end = consumer.endOffsets(List.of(tp));
            assertThat(end.get(tp)).isEqualTo(0);
        }
    }

    private static double metric(KafkaConsumer<String, String> consumer, String name) {
        for (Map.Entry<MetricName, ? extends Metric> e : consumer.metrics().entrySet()) {
            if (e.getKey().name().equals(name) && e.getKey().group().equals("consumer-fetch-manager-metrics")
                    && e.getKey().tags().size() == 1) {
                return ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        throw new AssertionError("no consumer metric " + name + " in " + consumer.metrics().keySet());
    }
}
