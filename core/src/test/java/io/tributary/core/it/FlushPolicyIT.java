package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * flush.messages and flush.ms through a real producer: with flush.messages=1 an acknowledged record is already
 * fsynced (the recovery point is past it when the ack arrives), also when many appends share one fsync; with
 * flush.ms the recovery point catches up with the log end on its own; by default a rolled segment is flushed in the
 * background. None of it blocks an event loop.
 */
class FlushPolicyIT {

    @TempDir
    static Path dataDir;
    static EmbeddedBroker broker;
    static LogItSupport.BlockedThreadWatch blocked;

    @BeforeAll
    static void start() throws Exception {
        blocked = new LogItSupport.BlockedThreadWatch();
        broker = LogItSupport.start(dataDir, Map.of());
    }

    @AfterAll
    static void stop() {
        broker.stop();
        assertThat(blocked.warnings()).as("blocked-thread warnings").isEmpty();
        blocked.close();
    }

    private static long recoveryPoint(TopicPartition tp) throws Exception {
        return LogItSupport.<Long>onOwner(broker, tp, p -> p.log().recoveryPoint());
    }

    @Test
    void withFlushMessagesOneEveryAcknowledgedRecordIsAlreadyFsynced() throws Exception {
        String topic = "flush-every-record";
        TopicPartition tp = new TopicPartition(topic, 0);
        ItClients.createTopic(broker.bootstrapServers(), topic, 1, Map.of("flush.messages", "1"));
        try (KafkaProducer<String, String> producer = ItClients.producer(broker.bootstrapServers(),
                Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0))) {
            for (int i = 0; i < 20; i++) {
                RecordMetadata md = producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i)).get();
                assertThat(recoveryPoint(tp)).as("recovery point after the ack of offset %d", md.offset())
                        .isGreaterThan(md.offset());
            }
            // Many in flight at once: they share fsyncs, and each is still durable when acknowledged.
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, 0, "k" + i, "burst-" + i)));
            }
            long highest = -1;
            for (Future<RecordMetadata> f : sends) {
                highest = Math.max(highest, f.get(30, TimeUnit.SECONDS).offset());
            }
            assertThat(recoveryPoint(tp)).isGreaterThan(highest);
        }
    }

    @Test
    void withFlushMsTheRecoveryPointCatchesUpByItself() throws Exception {
        String topic = "flush-ms";
        TopicPartition tp = new TopicPartition(topic, 0);
        ItClients.createTopic(broker.bootstrapServers(), topic, 1, Map.of("flush.ms", "200"));
        long end;
        try (KafkaProducer<String, String> producer = ItClients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i));
            }
            end = producer.send(new ProducerRecord<>(topic, 0, "last", "v")).get().offset() + 1;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (recoveryPoint(tp) < end && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(recoveryPoint(tp)).isEqualTo(end);
    }

    @Test
    void byDefaultARolledSegmentIsFlushedInTheBackground() throws Exception {
        String topic = "flush-on-roll";
        TopicPartition tp = new TopicPartition(topic, 0);
        ItClients.createTopic(broker.bootstrapServers(), topic, 1, Map.of("segment.bytes", "1024"));
        try (KafkaProducer<String, String> producer = ItClients.producer(broker.bootstrapServers(),
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 0))) {
            for (int i = 0; i < 40; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, "value-" + i)).get();
            }
        }
        long activeBase = LogItSupport.<Long>onOwner(broker, tp, p -> p.log().activeSegmentBaseOffset());
        assertThat(activeBase).isPositive();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (recoveryPoint(tp) < activeBase && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(recoveryPoint(tp)).isEqualTo(activeBase);
    }
}
