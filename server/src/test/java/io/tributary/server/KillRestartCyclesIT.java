package io.tributary.server;

import io.tributary.storage.LogConfig;
import io.tributary.storage.PartitionLog;
import io.tributary.storage.RecordBatchView;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Twenty rounds of: produce with acks=all, SIGKILL the broker mid-stream, restart it on the same data. After every
 * restart each record acknowledged so far is at the offset it was acknowledged with and offsets stay dense; after
 * the last round every segment of every partition is whole (a full CRC scan finds nothing to cut).
 */
class KillRestartCyclesIT {

    private static final String TOPIC = "cycles";
    private static final int PARTITIONS = 3;
    private static final int CYCLES = 20;
    private static final long PRODUCE_MS = 700;

    @TempDir
    Path dataDir;
    @TempDir
    Path logs;
    ChildBroker broker;

    private record Acked(int partition, long offset, String value) {
    }

    @AfterEach
    void killChild() throws InterruptedException {
        if (broker != null) {
            broker.kill();
        }
    }

    @Test
    void twentyKillsLoseNoAcknowledgedRecordAndLeaveNoCorruptSegment() throws Exception {
        // Small segments: kills land around rolls and background segment flushes too.
        broker = new ChildBroker(dataDir, logs, Map.of("log.segment.bytes", "65536"));
        broker.start();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Map<TopicPartition, Map<Long, String>> acked = new HashMap<>();
        Map<TopicPartition, Long> ends = Map.of();
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            long t0 = System.nanoTime();
            List<Acked> got = produceUntilKilled(cycle);
            System.err.printf("cycle %d: produce+kill %d ms%n", cycle, (System.nanoTime() - t0) / 1_000_000);
            assertThat(got).as("acknowledged in cycle %d", cycle).isNotEmpty();
            for (Acked a : got) {
                String before = acked.computeIfAbsent(new TopicPartition(TOPIC, a.partition()), k -> new HashMap<>())
                        .put(a.offset(), a.value());
                assertThat(before).as("offset %d of partition %d acknowledged twice", a.offset(), a.partition()).isNull();
            }
            long started = System.nanoTime();
            broker.start();
            long up = System.nanoTime();
            ends = verify(acked, cycle);
            System.err.printf("cycle %d: %d acknowledged, restart %d ms, verify %d ms%n", cycle, got.size(),
                    (up - started) / 1_000_000, (System.nanoTime() - up) / 1_000_000);
        }
        long t1 = System.nanoTime();
        broker.stop();
        System.err.printf("stop %d ms%n", (System.nanoTime() - t1) / 1_000_000);
        assertThat(broker.output()).doesNotContain("ERROR");

        // Every segment is whole: reopen each partition with a full scan (no clean-shutdown marker, no checkpoint).
        for (int p = 0; p < PARTITIONS; p++) {
            Path dir = dataDir.resolve(TOPIC + "-" + p);
            Files.deleteIfExists(dir.resolve(".clean-shutdown"));
            Files.deleteIfExists(dir.resolve("partition.checkpoint"));
            try (PartitionLog log = PartitionLog.open(dir, LogConfig.DEFAULT, Clock.systemUTC())) {
                assertThat(log.logEndOffset()).as("partition %d after a full scan", p)
                        .isEqualTo(ends.get(new TopicPartition(TOPIC, p)));
                long next = 0;
                for (RecordBatchView batch : log.batchesFrom(0)) {
                    assertThat(batch.isValid()).as("batch %s of partition %d", batch, p).isTrue();
                    assertThat(batch.baseOffset()).isEqualTo(next);
                    next = batch.lastOffset() + 1;
                }
                assertThat(next).isEqualTo(log.logEndOffset());
            }
        }
    }

    /** Sends as fast as acknowledgements allow, SIGKILLs the broker mid-stream, returns what was acknowledged. */
    private List<Acked> produceUntilKilled(int cycle) throws Exception {
        Map<Integer, Acked> byNumber = new ConcurrentHashMap<>();
        Semaphore outstanding = new Semaphore(200);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 8192);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 50);
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        KafkaProducer<String, String> producer = new KafkaProducer<>(p);
        try {
            long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PRODUCE_MS);
            // On a loaded machine the first acknowledgement can take longer than PRODUCE_MS: kill only after one.
            long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int n = 0;
            while (System.nanoTime() < killAt || (byNumber.isEmpty() && System.nanoTime() < giveUpAt)) {
                if (!outstanding.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                int number = n++;
                if (number % 8 == 0) {
                    // About 4,000 records a second: enough for many batches in flight at the kill, few enough
                    // that reading everything back after each of the twenty restarts stays quick.
                    Thread.sleep(2);
                }
                String value = "cycle-" + cycle + "-record-" + number;
                try {
                    producer.send(new ProducerRecord<>(TOPIC, Integer.toString(number), value), (md, e) -> {
                        outstanding.release();
                        if (e == null) {
                            byNumber.put(number, new Acked(md.partition(), md.offset(), value));
                        }
                    });
                } catch (RuntimeException e) {
                    outstanding.release();
                }
            }
            // Killed with sends in flight (up to the semaphore's worth): some were appended, not yet acknowledged.
            broker.kill();
        } finally {
            // The broker is gone: fail whatever is still in flight at once (it was never acknowledged).
            producer.close(Duration.ZERO);
        }
        return new ArrayList<>(byNumber.values());
    }

    /** Reads every partition to its end; checks density and every acknowledged record. Returns the end offsets. */
    private Map<TopicPartition, Long> verify(Map<TopicPartition, Map<Long, String>> acked, int cycle) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < PARTITIONS; i++) {
                tps.add(new TopicPartition(TOPIC, i));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            Map<TopicPartition, Map<Long, String>> stored = new HashMap<>();
            Map<TopicPartition, Long> next = new HashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && !reached(consumer, end)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    long want = next.getOrDefault(tp, 0L);
                    assertThat(r.offset()).as("cycle %d: offsets of %s are dense", cycle, tp).isEqualTo(want);
                    next.put(tp, want + 1);
                    stored.computeIfAbsent(tp, k -> new HashMap<>()).put(r.offset(), r.value());
                }
            }
            assertThat(reached(consumer, end)).as("cycle %d: read up to %s", cycle, end).isTrue();
            for (Map.Entry<TopicPartition, Map<Long, String>> partition : acked.entrySet()) {
                Map<Long, String> found = stored.getOrDefault(partition.getKey(), Map.of());
                for (Map.Entry<Long, String> a : partition.getValue().entrySet()) {
                    assertThat(found.get(a.getKey()))
                            .as("cycle %d: acknowledged record at %s offset %d; broker log:%n%s", cycle,
                                    partition.getKey(), a.getKey(), broker.output())
                            .isEqualTo(a.getValue());
                }
            }
            return end;
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

    private Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(p);
    }
}
