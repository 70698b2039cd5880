package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tributary.core.it.TxnItSupport.endOffsets;
import static io.tributary.core.it.TxnItSupport.send;
import static io.tributary.core.it.TxnItSupport.transactionalProducer;
import static io.tributary.core.it.TxnItSupport.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Consume-transform-produce with sendOffsetsToTransaction (input positions committed atomically with the output),
 * and what a broker restart in the middle of transactions keeps: committed data and offsets, the last stable offset
 * of a transaction still open, which is then aborted by its timeout.
 */
class TransactionalProcessingIT {

    @TempDir
    Path dataDir;

    private EmbeddedBroker broker;

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void consumeTransformProduceCommitsOutputAndOffsetsTogether() throws Exception {
        broker = EmbeddedBroker.start(dataDir);
        String bootstrap = broker.bootstrapServers();
        ItClients.createTopic(bootstrap, "ctp-in", 2);
        ItClients.createTopic(bootstrap, "ctp-out", 2);
        int total = 200;
        try (KafkaProducer<String, String> plain = ItClients.producer(bootstrap)) {
            for (int i = 0; i < total; i++) {
                plain.send(new ProducerRecord<>("ctp-in", "k" + i, "v" + i));
            }
            plain.flush();
        }

        int batches = 0;
        int processed = 0;
        try (KafkaConsumer<String, String> consumer = ItClients.consumer(bootstrap, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "ctp-group",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 30));
             KafkaProducer<String, String> producer = transactionalProducer(bootstrap, "ctp", 30_000)) {
            producer.initTransactions();
            consumer.subscribe(List.of("ctp-in"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (processed < total && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                batches++;
                producer.beginTransaction();
                Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                Map<TopicPartition, Long> first = new HashMap<>();
                for (ConsumerRecord<String, String> r : records) {
                    producer.send(new ProducerRecord<>("ctp-out", r.key(), "out-" + r.value()));
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    first.putIfAbsent(tp, r.offset());
                    next.put(tp, new OffsetAndMetadata(r.offset() + 1));
                }
                producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
                if (batches == 2) {
                    // A failed step: its output and its offsets vanish, and the input is processed again. Flushed
                    // first, so the aborted output is in the log (abort drops what the client has not sent yet).
                    producer.flush();
                    producer.abortTransaction();
                    first.forEach(consumer::seek);
                } else {
                    producer.commitTransaction();
                    processed += records.count();
                }
            }
        }
        assertThat(processed).isEqualTo(total);

        List<String> output = values(bootstrap, "ctp-out", 2, true);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            expected.add("out-v" + i);
        }
        assertThat(output).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(values(bootstrap, "ctp-out", 2, false).size()).as("the aborted batch is in the log")
                .isGreaterThan(total);
        try (Admin admin = ItClients.admin(bootstrap)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("ctp-group")
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, Long> inputEnds = endOffsets(bootstrap, "ctp-in", 2, false);
            inputEnds.forEach((tp, end) -> assertThat(committed.get(tp).offset()).as("offset of %s", tp)
                    .isEqualTo(end));
        }
    }

    @Test
    void restartKeepsCommittedDataAndOffsetsAndTheOpenTransactionIsAbortedAfterwards() throws Exception {
        broker = EmbeddedBroker.start(dataDir);
        String bootstrap = broker.bootstrapServers();
        ItClients.createTopic(bootstrap, "restart-txn", 1);
        TopicPartition tp = new TopicPartition("restart-txn", 0);
        KafkaProducer<String, String> producer = transactionalProducer(bootstrap, "restart", 4_000);
        try {
            producer.initTransactions();
            producer.beginTransaction();
            send(producer, "restart-txn", "r1", "r2");
            producer.sendOffsetsToTransaction(Map.of(tp, new OffsetAndMetadata(2)),
                    new org.apache.kafka.clients.consumer.ConsumerGroupMetadata("restart-group", -1, "", java.util.Optional.empty()));
            producer.commitTransaction();
            producer.beginTransaction();
            send(producer, "restart-txn", "r3");
            producer.sendOffsetsToTransaction(Map.of(tp, new OffsetAndMetadata(3)),
                    new org.apache.kafka.clients.consumer.ConsumerGroupMetadata("restart-group", -1, "", java.util.Optional.empty()));
        } finally {
            producer.close(Duration.ZERO);
        }
        broker.restart();
        bootstrap = broker.bootstrapServers();

        // r3's transaction is still open: read_committed stops at it, its offset commit is not visible.
        assertThat(values(bootstrap, "restart-txn", 1, true)).containsExactly("r1", "r2");
        assertThat(endOffsets(bootstrap, "restart-txn", 1, true)).containsEntry(tp, 3L);
        assertThat(committedOffset(bootstrap, "restart-group", tp)).isEqualTo(2L);

        // Its timeout (4 s) runs out after the restart: the coordinator aborts it.
        String b = bootstrap;
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(endOffsets(b, "restart-txn", 1, true)).containsEntry(tp, 5L));
        assertThat(values(bootstrap, "restart-txn", 1, true)).containsExactly("r1", "r2");
        assertThat(committedOffset(bootstrap, "restart-group", tp)).isEqualTo(2L);

        // And all of it survives one more restart, now from the .txnindex and producer snapshots.
        broker.restart();
        assertThat(values(broker.bootstrapServers(), "restart-txn", 1, true)).containsExactly("r1", "r2");
        assertThat(values(broker.bootstrapServers(), "restart-txn", 1, false)).containsExactly("r1", "r2", "r3");
        assertThat(committedOffset(broker.bootstrapServers(), "restart-group", tp)).isEqualTo(2L);
    }

    private static long committedOffset(String bootstrap, String group, TopicPartition tp) throws Exception {
        try (Admin admin = ItClients.admin(bootstrap)) {
            OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).get(tp);
            return o == null ? -1L : o.offset();
        }
    }
}
