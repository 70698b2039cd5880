package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Prometheus scrape after real clients produced, consumed and committed. */
class MetricsIT {

    @TempDir
    Path dir;
    private EmbeddedBroker embedded;

    @BeforeEach
    void start() {
        embedded = EmbeddedBroker.start(dir, Map.of("offsets.topic.num.partitions", "1",
                "metrics.consumer.lag.interval.ms", "200"));
    }

    @AfterEach
    void stop() {
        embedded.stop();
    }

    @Test
    void trafficGroupLagJvmAndEventLoopsAreScraped() throws Exception {
        ItClients.createTopic(embedded.bootstrapServers(), "m-topic", 1);
        try (KafkaProducer<String, String> producer = ItClients.producer(embedded.bootstrapServers())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("m-topic", 0, "k" + i, "v" + i)).get();
            }
        }
        TopicPartition tp = new TopicPartition("m-topic", 0);
        try (KafkaConsumer<String, String> consumer = ItClients.consumer(embedded.bootstrapServers(),
                Map.of(ConsumerConfig.GROUP_ID_CONFIG, "g-lag"))) {
            assertThat(ItClients.consumeFromBeginning(consumer, List.of(tp), 10, Duration.ofSeconds(20))).hasSize(10);
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(4)));
        }

        String topic = "topic=\"m-topic\"";
        assertThat(value("tributary_partition_records_in_total", topic)).hasValue(10.0);
        assertThat(value("tributary_partition_bytes_in_total", topic).orElseThrow()).isGreaterThan(100);
        assertThat(value("tributary_partition_records_out_total", topic).orElseThrow()).isGreaterThanOrEqualTo(10);
        assertThat(value("tributary_kafka_requests_seconds_count", "api=\"Produce\"")).hasValue(10.0);
        assertThat(value("tributary_kafka_requests_seconds_count", "api=\"Fetch\"").orElseThrow()).isPositive();
        assertThat(value("tributary_kafka_requests_seconds_bucket", "api=\"Produce\"")).isPresent();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(value("tributary_consumer_group_lag_records", "group=\"g-lag\"", topic)).hasValue(6.0));
        assertThat(value("jvm_memory_used_bytes", "area=\"heap\"")).isPresent();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(value("tributary_event_loop_delay_seconds_count", "loop=\"0\"").orElse(0)).isPositive());
        assertThat(scrape()).contains("vertx_");

        try (Admin admin = ItClients.admin(embedded.bootstrapServers())) {
            admin.deleteTopics(List.of("m-topic")).all().get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(value("tributary_partition_records_in_total", topic)).isEmpty());
    }

    private String scrape() {
        return embedded.broker().api().metrics().scrape();
    }

    /** The value of the first sample of {@code name} carrying every given label. */
    private OptionalDouble value(String name, String... labels) {
        for (String line : scrape().split("\n")) {
            if (!line.startsWith(name + "{")) {
                continue;
            }
            String labelPart = line.substring(name.length(), line.lastIndexOf('}') + 1);
            boolean all = true;
            for (String label : labels) {
                all &= labelPart.contains(label);
            }
            if (all) {
                return OptionalDouble.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return OptionalDouble.empty();
    }
}
