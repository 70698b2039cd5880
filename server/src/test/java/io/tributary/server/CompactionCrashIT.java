package io.tributary.server;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL of a broker in the middle of compacting a topic (the cleaner is throttled so the clean takes seconds):
 * after the restart every key's newest value is still there at its offset, every record read is one the producer
 * wrote at that offset, no cleaner leftovers remain, and the restarted cleaner finishes the job.
 */
class CompactionCrashIT {

    private static final String TOPIC = "compacted";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final int KEYS = 200;
    private static final int UPDATES = 15;
    private static final int DELETED = 20;

    @TempDir
    Path dataDir;
    @TempDir
    Path logs;
    ChildBroker broker;

    @AfterEach
    void killChild() throws InterruptedException {
        if (broker != null) {
            broker.kill();
        }
    }

    @Test
    void aCrashMidCompactionLosesNothing() throws Exception {
        // About 2.5 MB to read and a little to write at 400 kB/s: the clean takes several seconds.
        broker = new ChildBroker(dataDir, logs, Map.of("log.cleaner.backoff.ms", "200",
                "log.cleaner.io.max.bytes.per.second", "400000"));
        broker.start();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of("cleanup.policy", "compact",
                    "segment.bytes", "131072", "min.cleanable.dirty.ratio", "0.01", "delete.retention.ms", "1000"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        Map<Long, String> written = new HashMap<>();
        Map<String, Long> newest = new HashMap<>();
        produce(written, newest);

        assertThat(broker.awaitOutput("Cleaning " + TOPIC + "-0", 30_000)).as("the cleaner started: %s", broker.output())
                .isTrue();
        // It first reads the dirty segments to map the keys, then writes the cleaned ones: kill it while writing.
        long writing = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (leftovers(".cleaned").isEmpty() && System.nanoTime() < writing) {
            Thread.sleep(20);
        }
        assertThat(leftovers(".cleaned")).as("the cleaner is writing cleaned segments").isNotEmpty();
        Thread.sleep(300);
        broker.kill();
        // (Smaller cleans may have finished while the records were produced; the last one had not.)
        String out = broker.output();
        assertThat(count(out, "Cleaning " + TOPIC + "-0")).as("a clean was running when the broker was killed: %s", out)
                .isGreaterThan(count(out, "Cleaned " + TOPIC + "-0"));

        broker = new ChildBroker(dataDir, logs, Map.of("log.cleaner.backoff.ms", "200"));
        broker.start();
        // Right after the restart (the cleaner may be running again): nothing lost, nothing invented.
        List<ConsumerRecord<String, String>> afterCrash = readAll();
        checkNothingLost(afterCrash, written, newest);

        // The cleaner completes the compaction: one record per live key, tombstones gone after their horizon.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<ConsumerRecord<String, String>> records = readAll();
        while (!fullyCompacted(records) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            records = readAll();
        }
        assertThat(fullyCompacted(records)).as("compacted within 60 s; broker log:%n%s", broker.output()).isTrue();
        checkNothingLost(records, written, newest);
        assertThat(leftovers(".cleaned")).isEmpty();
        assertThat(leftovers("cleaner.swap")).isEmpty();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private void produce(Map<Long, String> written, Map<String, Long> newest) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        String pad = "p".repeat(800);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            List<String[]> sent = new ArrayList<>();
            for (int u = 0; u < UPDATES; u++) {
                for (int k = 0; k < KEYS; k++) {
                    String key = "key-" + k;
                    String value = u == UPDATES - 1 && k < DELETED ? null : "u" + u + "-" + key + "-" + pad;
                    sends.add(producer.send(new ProducerRecord<>(TOPIC, 0, key, value)));
                    sent.add(new String[]{key, value});
                }
            }
            // More than a segment of fillers: every update ends up in a sealed, cleanable segment.
            for (int f = 0; f < 200; f++) {
                String key = "filler-" + f;
                sends.add(producer.send(new ProducerRecord<>(TOPIC, 0, key, "f-" + pad)));
                sent.add(new String[]{key, "f-" + pad});
            }
            for (int i = 0; i < sends.size(); i++) {
                long offset = sends.get(i).get(30, TimeUnit.SECONDS).offset();
                written.put(offset, sent.get(i)[1]);
                newest.put(sent.get(i)[0], offset);
            }
        }
    }

    private static void checkNothingLost(List<ConsumerRecord<String, String>> records, Map<Long, String> written,
                                         Map<String, Long> newest) {
        Map<Long, String> read = new HashMap<>();
        long previous = -1;
        for (ConsumerRecord<String, String> r : records) {
            assertThat(r.offset()).isGreaterThan(previous);
            previous = r.offset();
            assertThat(written).containsKey(r.offset());
            assertThat(r.value()).as("record at offset %d", r.offset()).isEqualTo(written.get(r.offset()));
            read.put(r.offset(), r.value());
        }
        for (Map.Entry<String, Long> e : newest.entrySet()) {
            if (written.get(e.getValue()) != null) {
                assertThat(read).as("newest value of %s at offset %d", e.getKey(), e.getValue())
                        .containsKey(e.getValue());
            }
        }
    }

    private static boolean fullyCompacted(List<ConsumerRecord<String, String>> records) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            if (r.value() == null) {
                return false;
            }
            counts.merge(r.key(), 1, Integer::sum);
        }
        return counts.size() == KEYS - DELETED + 200 && counts.values().stream().allMatch(c -> c == 1);
    }

    private List<ConsumerRecord<String, String>> readAll() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.assign(List.of(TP));
            consumer.seekToBeginning(List.of(TP));
            long end = consumer.endOffsets(List.of(TP)).get(TP);
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumer.position(TP) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            assertThat(consumer.position(TP)).as("read to the end offset %d", end).isGreaterThanOrEqualTo(end);
            return out;
        }
    }

    private List<Path> leftovers(String suffix) throws Exception {
        try (Stream<Path> files = Files.list(dataDir.resolve(TOPIC + "-0"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
        }
    }

    private Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(p);
    }
}
