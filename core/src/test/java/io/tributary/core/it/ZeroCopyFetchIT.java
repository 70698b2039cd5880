package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import io.tributary.core.testing.TestCerts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Consumer fetches on PLAINTEXT and SASL_PLAINTEXT listeners send record bytes straight from the segment files
 * (file regions); on TLS listeners they are copied. Either way consumers must read exactly what was produced:
 * several partitions, records larger and smaller than max.partition.fetch.bytes, a fetch from the middle of a
 * batch, read_committed with aborted transactions, and segments deleted by retention while consumers read.
 */
class ZeroCopyFetchIT {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " user_alice=\"alice-secret\";";

    @TempDir
    static Path work;
    private static TestCerts certs;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCerts.shared();
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0");
        props.putAll(SecureListenersIT.tlsServerProps(certs));
        props.put("sasl.jaas.config", JAAS);
        props.put("log.retention.check.interval.ms", "100");
        broker = EmbeddedBroker.start(work.resolve("data"), props);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Map<String, Object> security(String listener) {
        Map<String, Object> p = new HashMap<>();
        p.put("security.protocol", listener);
        if (listener.equals("SSL")) {
            p.put("ssl.truststore.location", certs.truststore().toString());
            p.put("ssl.truststore.password", TestCerts.PASSWORD);
        } else if (listener.equals("SASL_PLAINTEXT")) {
            p.put("sasl.mechanism", "PLAIN");
            p.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"alice\" password=\"alice-secret\";");
        }
        return p;
    }

    private static String bootstrap(String listener) {
        return SecureListenersIT.bootstrap(broker, listener);
    }

    /** A value that says where it belongs and has {@code size} characters. */
    private static String value(int partition, int i, int size) {
        String head = partition + ":" + i + ":";
        return head + "x".repeat(Math.max(0, size - head.length()));
    }

    /** Sizes straddling a 16 KiB max.partition.fetch.bytes, in batches of several records. */
    private static int size(int i) {
        return switch (i % 7) {
            case 0 -> 40_000;
            case 3 -> 17_000;
            default -> 50 + (i * 37) % 3000;
        };
    }

    /** The file regions below go out through Netty's native sendfile: the epoll transport ships for this platform. */
    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void socketsUseNettysNativeEpollTransport() {
        assertThat(broker.broker().vertx().unavailableNativeTransportCause()).isNull();
        assertThat(broker.broker().vertx().isNativeTransportEnabled()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PLAINTEXT", "SASL_PLAINTEXT", "SSL"})
    void consumersReadExactlyWhatWasProduced(String listener) throws Exception {
        String topic = "zc-mixed-" + listener.toLowerCase();
        int partitions = 4;
        int perPartition = 120;
        ItClients.createTopic(bootstrap("PLAINTEXT"), topic, partitions,
                Map.of("segment.bytes", String.valueOf(256 * 1024)));
        Map<String, Object> producerConfig = new HashMap<>(security(listener));
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        producerConfig.put(ProducerConfig.BATCH_SIZE_CONFIG, 32 * 1024);
        try (KafkaProducer<String, String> producer = ItClients.producer(bootstrap(listener), producerConfig)) {
            for (int i = 0; i < perPartition; i++) {
                for (int p = 0; p < partitions; p++) {
                    producer.send(new ProducerRecord<>(topic, p, "k" + i, value(p, i, size(i))));
                }
            }
            producer.flush();
        }
        Map<String, Object> consumerConfig = new HashMap<>(security(listener));
        consumerConfig.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024);
        consumerConfig.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 48 * 1024);
        try (KafkaConsumer<String, String> consumer = ItClients.consumer(bootstrap(listener), consumerConfig)) {
            List<ConsumerRecord<String, String>> got = ItClients.consumeFromBeginning(consumer,
                    ItClients.partitions(topic, partitions), partitions * perPartition, Duration.ofSeconds(60));
            assertThat(got).hasSize(partitions * perPartition);
            Map<Integer, List<ConsumerRecord<String, String>>> byPartition = ItClients.byPartition(got);
            for (int p = 0; p < partitions; p++) {
                List<ConsumerRecord<String, String>> records = byPartition.get(p);
                for (int i = 0; i < perPartition; i++) {
                    assertThat(records.get(i).offset()).isEqualTo(i);
                    assertThat(records.get(i).value()).isEqualTo(value(p, i, size(i)));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PLAINTEXT", "SSL"})
    void aFetchFromTheMiddleOfABatchStartsAtThatOffset(String listener) throws Exception {
        String topic = "zc-middle-" + listener.toLowerCase();
        ItClients.createTopic(bootstrap("PLAINTEXT"), topic, 1);
        try (KafkaProducer<String, String> producer = ItClients.producer(bootstrap("PLAINTEXT"),
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 1000, ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20))) {
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", value(0, i, 100)));
            }
            producer.flush(); // one batch of 50 records
        }
        try (KafkaConsumer<String, String> consumer = ItClients.consumer(bootstrap(listener), security(listener))) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seek(tp, 23);
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (got.size() < 27 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
            assertThat(got).extracting(ConsumerRecord::offset)
                    .containsExactlyElementsOf(Stream.iterate(23L, o -> o + 1).limit(27).toList());
            assertThat(got.get(0).value()).isEqualTo(value(0, 23, 100));
        }
    }

    @Test
    void readCommittedSkipsAbortedTransactions() throws Exception {
        String topic = "zc-txn";
        String plain = bootstrap("PLAINTEXT");
        ItClients.createTopic(plain, topic, 2);
        try (KafkaProducer<String, String> producer = TxnItSupport.transactionalProducer(plain, "zc-txn", 30_000)) {
            producer.initTransactions();
            for (int round = 0; round < 6; round++) {
                producer.beginTransaction();
                for (int i = 0; i < 20; i++) {
                    String v = (round % 2 == 0 ? "commit-" : "abort-") + round + "-" + i + "-" + "y".repeat(i * 50);
                    producer.send(new ProducerRecord<>(topic, i % 2, v, v));
                }
                producer.flush();
                if (round % 2 == 0) {
                    producer.commitTransaction();
                } else {
                    producer.abortTransaction();
                }
            }
        }
        List<String> committed = TxnItSupport.values(plain, topic, 2, true);
        assertThat(committed).hasSize(60).allMatch(v -> v.startsWith("commit-"));
        List<String> all = TxnItSupport.values(plain, topic, 2, false);
        assertThat(all).hasSize(120);
        assertThat(all.stream().filter(v -> v.startsWith("abort-"))).hasSize(60);
    }

    /**
     * Retention deletes segments while consumers read them with small fetches: the broker keeps serving, each
     * consumer ends at the log end having seen only correct records (jumping forward when its offset fell below
     * the new log start), and no deleted segment file stays open once the sends are done.
     */
    @Test
    void retentionDeletesSegmentsWhileConsumersRead() throws Exception {
        String topic = "zc-retention";
        String plain = bootstrap("PLAINTEXT");
        int count = 3000;
        ItClients.createTopic(plain, topic, 1, Map.of("segment.bytes", String.valueOf(32 * 1024)));
        try (KafkaProducer<String, String> producer = ItClients.producer(plain,
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 8 * 1024))) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", value(0, i, 1000)));
            }
            producer.flush();
        }
        TopicPartition tp = new TopicPartition(topic, 0);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Long>> readers = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                readers.add(pool.submit(() -> readCheckingValues(plain, tp, count)));
            }
            Thread.sleep(300);
            try (Admin admin = ItClients.admin(plain)) {
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                        List.of(new AlterConfigOp(new ConfigEntry("retention.bytes", String.valueOf(100 * 1024)),
                                AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
            }
            for (Future<Long> reader : readers) {
                assertThat(reader.get(90, TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            pool.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try (KafkaConsumer<String, String> consumer = ItClients.consumer(plain)) {
                assertThat(consumer.beginningOffsets(List.of(tp)).get(tp)).isPositive();
            }
        });
        ItClients.assertProduceAndConsumeWork(plain, "zc-after-retention");
        await().atMost(Duration.ofSeconds(30)).until(() -> openDeletedSegments().isEmpty());
    }

    /** Reads from the beginning to {@code count}, checking each record's value; returns how many it saw. */
    private static long readCheckingValues(String bootstrap, TopicPartition tp, int count) {
        try (KafkaConsumer<String, String> consumer = ItClients.consumer(bootstrap,
                Map.of(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024))) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long seen = 0;
            long last = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(80);
            while (consumer.position(tp) < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    assertThat(r.offset()).isGreaterThan(last);
                    assertThat(r.value()).isEqualTo(value(0, (int) r.offset(), 1000));
                    last = r.offset();
                    seen++;
                    // Slow enough that retention very likely runs while this consumer is still in old segments.
                    if (seen % 200 == 0) Thread.sleep(100);
                }
            }
            assertThat(consumer.position(tp)).isEqualTo(count);
            return seen;
        } catch (InterruptedException e) {
            throw new RuntimeException(e);
        }
    }

    /** Segment files of this broker that are deleted but still open (Linux: /proc/self/fd). */
    private static List<String> openDeletedSegments() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) return List.of();
        List<String> open = new ArrayList<>();
        String dataDir = broker.dataDir().toString();
        try (Stream<Path> links = Files.list(fds)) {
            for (Path link : links.toList()) {
                try {
                    String target = Files.readSymbolicLink(link).toString();
                    if (target.startsWith(dataDir) && target.contains(".log") && target.endsWith("(deleted)")) {
                        open.add(target);
                    }
                } catch (IOException gone) {
                    // closed while listing
                }
            }
        }
        return open;
    }
}
