package io.tributary.server;

import io.tributary.core.config.BrokerConfigDef;
import io.tributary.core.config.ConnectConfigDef;
import io.tributary.core.config.HttpConfigDef;
import io.tributary.core.config.MqttConfigDef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code --training-run}: a broker start for building a class-data-sharing archive. Run under
 * {@code -XX:ArchiveClassesAtExit}, the JVM writes every class this run loaded into the archive as it exits, and
 * a later start with {@code -XX:SharedArchiveFile} maps them instead of loading, verifying and linking them from
 * the jar, which halves the time to the first accepted connection. {@code bin/tributary} does both.
 *
 * <p>The run starts every listener on a free loopback port with a temporary data directory, from the embedded
 * defaults only (no config file, no environment: a pod's {@code TRIBUTARY_CLUSTER_JOIN} must not make a training
 * run join its cluster), serves one round of what clients do first (create a topic, produce with acks=all, join a
 * group, fetch, commit) through its own Kafka listener, then stops as on SIGTERM.
 */
final class TrainingRun {

    static final String TOPIC = "tributary-training";
    static final int RECORDS = 100;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TrainingRun() {
    }

    /** The config of a training run: every listener on a free port, data in {@code dataDir}, no rebalance delay. */
    static List<String> overrides(Path dataDir) {
        Map<String, String> settings = Map.of(
                BrokerConfigDef.LISTENERS, "PLAINTEXT://127.0.0.1:0",
                BrokerConfigDef.LOG_DIRS, dataDir.toString(),
                MqttConfigDef.MQTT_LISTENERS, "MQTT://127.0.0.1:0",
                HttpConfigDef.HTTP_LISTENERS, "HTTP://127.0.0.1:0",
                ConnectConfigDef.CONNECT_LISTENERS, "HTTP://127.0.0.1:0",
                BrokerConfigDef.GROUP_INITIAL_REBALANCE_DELAY_MS, "0");
        return settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    /** Serves one round of client traffic through the Kafka listener at {@code bootstrap}; throws if any of it fails. */
    static void exercise(String bootstrap) throws Exception {
        Properties common = new Properties();
        common.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(common)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        }
        Properties producerProps = new Properties();
        producerProps.putAll(common);
        producerProps.put("acks", "all");
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, ("key-" + i).getBytes(), new byte[1024]));
            }
            producer.flush();
        }
        Properties consumerProps = new Properties();
        consumerProps.putAll(common);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "tributary-training");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            int received = 0;
            Instant deadline = Instant.now().plus(TIMEOUT);
            while (received < RECORDS) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("the training run consumed " + received + " of " + RECORDS
                            + " records within " + TIMEOUT.toSeconds() + " s");
                }
                received += consumer.poll(Duration.ofMillis(200)).count();
            }
            consumer.commitSync();
        }
    }

    /** Deletes a training run's data directory. */
    static void deleteData(Path dataDir) throws IOException {
        if (!Files.exists(dataDir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dataDir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
