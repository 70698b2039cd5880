package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka Streams with processing.guarantee=exactly_once_v2 over 100,000 records: a word count (KTable), a windowed
 * count and a stream-table join, run by two instances of which one (in a JVM of its own) is killed mid-run. A read_committed
 * consumer must then find exactly the results of processing every input record once.
 */
class StreamsExactlyOnceIT {

    private static final int RECORDS = 100_000;
    private static final int WORDS = 40;
    private static final int USERS = 50;
    static final long WINDOW_MS = 60_000;
    private static final long BASE_TIME = 1_700_000_000_000L;

    @TempDir
    static Path dataDir;
    @TempDir
    static Path stateDir;

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
    void wordCountWindowedCountAndJoinAreExactAfterAnInstanceStopsMidRun() throws Exception {
        String bootstrap = broker.bootstrapServers();
        ItClients.createTopic(bootstrap, "eos-input", 4);
        ItClients.createTopic(bootstrap, "eos-users", 4, Map.of("cleanup.policy", "compact"));
        for (String out : List.of("eos-word-counts", "eos-window-counts", "eos-joined")) {
            ItClients.createTopic(bootstrap, out, 2);
        }
        try (KafkaProducer<String, String> producer = ItClients.producer(bootstrap, Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 65536))) {
            for (int u = 0; u < USERS; u++) {
                // Older than every input record: Streams processes by timestamp, so the table is there first.
                producer.send(new ProducerRecord<>("eos-users", null, BASE_TIME - 1_000, "u" + u, "name" + u));
            }
            producer.flush();
            for (int i = 0; i < RECORDS; i++) {
                // Timestamps 10 ms apart: 1,000 s of event time, about 17 one-minute windows.
                producer.send(new ProducerRecord<>("eos-input", null, BASE_TIME + i * 10L, user(i), word(i) + "|" + i));
            }
            producer.flush();
        }

        Process first = EosStreamsApp.spawn(bootstrap, stateDir.resolve("a"));
        KafkaStreams second = new KafkaStreams(EosStreamsApp.topology(),
                EosStreamsApp.streamsConfig(bootstrap, stateDir.resolve("b")));
        try {
            second.start();
            // SIGKILL the other instance once output flows. Its open transaction stays open until the coordinator
            // aborts it on timeout (5 s); meanwhile read_committed readers of its partitions wait at the last
            // stable offset. The surviving instance then takes its tasks over from the last committed offsets.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> uncommittedCount(bootstrap, "eos-joined") > RECORDS / 5);
            first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> committedJoins(bootstrap) >= RECORDS);
        } finally {
            first.destroyForcibly();
            second.close(Duration.ofSeconds(30));
        }

        // Join: every input record exactly once.
        List<ConsumerRecord<String, String>> joined = readCommitted(bootstrap, "eos-joined", StringDeserializer.class);
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<String, String> r : joined) {
            assertThat(seen.add(r.value())).as("duplicate join output %s", r.value()).isTrue();
        }
        assertThat(joined).hasSize(RECORDS);
        int i = 12_345;
        assertThat(seen).contains("name" + (i % USERS) + ":" + word(i) + "|" + i);

        // Word count: the latest count per word equals its number of occurrences.
        Map<String, Long> counts = latest(readCommitted(bootstrap, "eos-word-counts", LongDeserializer.class));
        Map<String, Long> expectedCounts = new HashMap<>();
        Map<String, Long> expectedWindows = new HashMap<>();
        for (int n = 0; n < RECORDS; n++) {
            expectedCounts.merge(word(n), 1L, Long::sum);
            long windowStart = (BASE_TIME + n * 10L) / WINDOW_MS * WINDOW_MS;
            expectedWindows.merge(user(n) + "@" + windowStart, 1L, Long::sum);
        }
        assertThat(counts).isEqualTo(expectedCounts);

        // Windowed count per user and one-minute window.
        Map<String, Long> windows = latest(readCommitted(bootstrap, "eos-window-counts", LongDeserializer.class));
        assertThat(windows).isEqualTo(expectedWindows);
    }

    private static String word(int i) {
        return "w" + (i * 7 % WORDS);
    }

    private static String user(int i) {
        return "u" + (i % USERS);
    }

    private static long uncommittedCount(String bootstrap, String topic) {
        return TxnItSupport.endOffsets(bootstrap, topic, 2, false).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Join outputs visible to read_committed consumers (end offsets count markers too, so read the records). */
    private static long committedJoins(String bootstrap) {
        return readCommitted(bootstrap, "eos-joined", StringDeserializer.class).size();
    }

    private static <V> List<ConsumerRecord<String, V>> readCommitted(String bootstrap, String topic,
                                                                     Class<?> valueDeserializer) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, valueDeserializer.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = ItClients.partitions(topic, 2);
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            List<ConsumerRecord<String, V>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && !reached(consumer, end)) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static <V> Map<String, V> latest(List<ConsumerRecord<String, V>> records) {
        Map<String, V> latest = new HashMap<>();
        records.forEach(r -> latest.put(r.key(), r.value()));
        return latest;
    }
}
