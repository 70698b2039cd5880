package io.tributary.server;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broker in a child JVM is killed with SIGKILL while a transaction is open. After the restart, rebuilt from the
 * logs alone (no clean-shutdown snapshots), read_committed consumers see exactly the committed data, stop at the
 * open transaction, and see the rest once the coordinator has aborted it on timeout.
 */
class TransactionCrashIT {

    private static final String TOPIC = "txn-crash";

    @TempDir
    Path dataDir;

    @TempDir
    Path logs;

    private ChildBroker broker;

    @AfterEach
    void killChild() throws InterruptedException {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void committedDataSurvivesSigkillAndTheOpenTransactionIsAbortedAfterRestart() throws Exception {
        broker = new ChildBroker(dataDir, logs, Map.of());
        int port = broker.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        KafkaProducer<String, String> txn = producer(broker.bootstrap(), Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "crash-txn",
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 25_000));
        try (KafkaProducer<String, String> plain = producer(broker.bootstrap(), Map.of())) {
            txn.initTransactions();
            txn.beginTransaction();
            txn.send(new ProducerRecord<>(TOPIC, "c1", "c1"));
            txn.send(new ProducerRecord<>(TOPIC, "c2", "c2"));
            txn.commitTransaction();
            txn.beginTransaction();
            txn.send(new ProducerRecord<>(TOPIC, "o1", "o1"));
            txn.send(new ProducerRecord<>(TOPIC, "o2", "o2"));
            txn.flush();
            plain.send(new ProducerRecord<>(TOPIC, "p1", "p1")).get(10, TimeUnit.SECONDS);
        } finally {
            txn.close(Duration.ZERO);
        }
        broker.kill();
        port = broker.start();
        assertThat(port).isPositive();

        String bootstrap = broker.bootstrap();
        assertThat(values(bootstrap, true)).as(broker.output()).containsExactly("c1", "c2");
        assertThat(values(bootstrap, false)).containsExactly("c1", "c2", "o1", "o2", "p1");
        // The open transaction's timeout runs out after the restart; its abort marker makes p1 readable.
        List<String> committed = values(bootstrap, true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!committed.equals(List.of("c1", "c2", "p1")) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            committed = values(bootstrap, true);
        }
        assertThat(committed).containsExactly("c1", "c2", "p1");
        assertThat(broker.output()).contains("open longer than its timeout");
    }

    private static KafkaProducer<String, String> producer(String bootstrap, Map<String, Object> extra) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        p.putAll(extra);
        return new KafkaProducer<>(p);
    }

    /** The values of the topic up to the end this isolation level reports. */
    private static List<String> values(String bootstrap, boolean readCommitted) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> values.add(r.value()));
            }
            return values;
        }
    }
}
