package io.tributary.core.it;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Transactional producers and isolation-aware reads for the transaction integration tests. */
final class TxnItSupport {

    private TxnItSupport() {
    }

    static KafkaProducer<String, String> transactionalProducer(String bootstrap, String transactionalId,
                                                               int timeoutMs) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, timeoutMs);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return ItClients.producer(bootstrap, config);
    }

    static void send(KafkaProducer<String, String> producer, String topic, String... values) {
        for (String v : values) {
            producer.send(new ProducerRecord<>(topic, v, v));
        }
        producer.flush();
    }

    /** Every record of the topic up to the end an isolation level reports, as "value" strings in offset order. */
    static List<String> values(String bootstrap, String topic, int partitions, boolean readCommitted) {
        List<String> values = new ArrayList<>();
        for (ConsumerRecord<String, String> r : read(bootstrap, topic, partitions, readCommitted)) {
            values.add(r.value());
        }
        return values;
    }

    static List<ConsumerRecord<String, String>> read(String bootstrap, String topic, int partitions,
                                                     boolean readCommitted) {
        try (KafkaConsumer<String, String> consumer = ItClients.consumer(bootstrap, Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted"))) {
            List<TopicPartition> tps = ItClients.partitions(topic, partitions);
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && !reached(consumer, end)) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            assertThat(reached(consumer, end)).as("consumer reached the end offsets %s", end).isTrue();
            records.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                    : Long.compare(a.offset(), b.offset()));
            return records;
        }
    }

    /** The end offsets a consumer of this isolation level is told (the last stable offset for read_committed). */
    static Map<TopicPartition, Long> endOffsets(String bootstrap, String topic, int partitions, boolean readCommitted) {
        try (KafkaConsumer<String, String> consumer = ItClients.consumer(bootstrap, Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted"))) {
            return consumer.endOffsets(ItClients.partitions(topic, partitions));
        }
    }

    private static boolean reached(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
