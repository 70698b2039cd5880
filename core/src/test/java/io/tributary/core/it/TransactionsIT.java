package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.tributary.core.it.TxnItSupport.endOffsets;
import static io.tributary.core.it.TxnItSupport.send;
import static io.tributary.core.it.TxnItSupport.transactionalProducer;
import static io.tributary.core.it.TxnItSupport.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Transactions with the real Java producer and consumers: what read_committed and read_uncommitted consumers see
 * after commits and aborts, the last stable offset while a transaction is open, fencing of a zombie producer,
 * the coordinator's timeout abort, and the admin view (DescribeTransactions, ListTransactions).
 */
class TransactionsIT {

    @TempDir
    static Path dataDir;

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
    void readCommittedSeesExactlyTheCommittedTransactions() throws Exception {
        String topic = "txn-commit-abort";
        String bootstrap = broker.bootstrapServers();
        ItClients.createTopic(bootstrap, topic, 1);
        try (KafkaProducer<String, String> producer = transactionalProducer(bootstrap, "commit-abort", 30_000)) {
            producer.initTransactions();
            producer.beginTransaction();
            send(producer, topic, "a1", "a2", "a3");
            producer.commitTransaction();
            producer.beginTransaction();
            send(producer, topic, "b1", "b2");
            producer.abortTransaction();
            producer.beginTransaction();
            send(producer, topic, "c1");
            producer.commitTransaction();
            producer.beginTransaction();
            send(producer, topic, "d1", "d2");
            producer.abortTransaction();
        }
        assertThat(values(bootstrap, topic, 1, true)).containsExactly("a1", "a2", "a3", "c1");
        assertThat(values(bootstrap, topic, 1, false)).containsExactly("a1", "a2", "a3", "b1", "b2", "c1", "d1", "d2");
        // 8 records and 4 markers; nothing open, so both isolation levels see the same end.
        TopicPartition tp = new TopicPartition(topic, 0);
        assertThat(endOffsets(bootstrap, topic, 1, true)).containsEntry(tp, 12L);
        assertThat(endOffsets(bootstrap, topic, 1, false)).containsEntry(tp, 12L);
    }

    @Test
    void anOpenTransactionHoldsBackReadCommittedConsumersAtItsFirstOffset() throws Exception {
        String topic = "txn-lso";
        String bootstrap = broker.bootstrapServers();
        ItClients.createTopic(bootstrap, topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> plain = ItClients.producer(bootstrap);
             KafkaProducer<String, String> txn = transactionalProducer(bootstrap, "lso", 30_000)) {
            plain.send(new ProducerRecord<>(topic, "p0", "p0")).get(10, TimeUnit.SECONDS);
            txn.initTransactions();
            txn.beginTransaction();
            send(txn, topic, "t1", "t2");
            plain.send(new ProducerRecord<>(topic, "p1", "p1")).get(10, TimeUnit.SECONDS);

            // The open transaction starts at offset 1: read_committed ends there, read_uncommitted at the log end.
            assertThat(endOffsets(bootstrap, topic, 1, true)).containsEntry(tp, 1L);
            assertThat(endOffsets(bootstrap, topic, 1, false)).containsEntry(tp, 4L);
            assertThat(values(bootstrap, topic, 1, true)).containsExactly("p0");

            txn.commitTransaction();
        }
        assertThat(values(bootstrap, topic, 1, true)).containsExactly("p0", "t1", "t2", "p1");
        assertThat(endOffsets(bootstrap, topic, 1, true)).containsEntry(tp, 5L);
    }

    @Test
    void aNewProducerInstanceFencesTheZombieAndAbortsWhatItLeftOpen() throws Exception {
        String topic = "txn-zombie";
        String bootstrap = broker.bootstrapServers();
        ItClients.createTopic(bootstrap, topic, 2);
        KafkaProducer<String, String> zombie = transactionalProducer(bootstrap, "zombie", 30_000);
        try {
            zombie.initTransactions();
            zombie.beginTransaction();
            send(zombie, topic, "z1", "z2", "z3");

            try (KafkaProducer<String, String> successor = transactionalProducer(bootstrap, "zombie", 30_000)) {
                successor.initTransactions();
                successor.beginTransaction();
                send(successor, topic, "s1");
                successor.commitTransaction();
            }
            // The old instance can neither write nor commit any more.
            assertThatThrownBy(() -> {
                zombie.send(new ProducerRecord<>(topic, "z4", "z4")).get(10, TimeUnit.SECONDS);
                zombie.commitTransaction();
            }).isInstanceOfAny(KafkaException.class, java.util.concurrent.ExecutionException.class);
        } finally {
            zombie.close(Duration.ofSeconds(5));
        }
        assertThat(values(bootstrap, topic, 2, true)).containsExactly("s1");
        assertThat(values(bootstrap, topic, 2, false)).contains("z1", "z2", "z3", "s1").doesNotContain("z4");
    }

    @Test
    void aTransactionLeftOpenIsAbortedAfterItsTimeoutAndItsProducerFenced() throws Exception {
        String topic = "txn-timeout";
        String bootstrap = broker.bootstrapServers();
        ItClients.createTopic(bootstrap, topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        KafkaProducer<String, String> abandoned = transactionalProducer(bootstrap, "abandoned", 2_000);
        try {
            abandoned.initTransactions();
            abandoned.beginTransaction();
            send(abandoned, topic, "x1", "x2");
            assertThat(endOffsets(bootstrap, topic, 1, true)).containsEntry(tp, 0L);

            // No commit, no abort: the coordinator aborts it once 2 s have passed, writing the marker at offset 2.
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(endOffsets(bootstrap, topic, 1, true)).containsEntry(tp, 3L));
            assertThat(values(bootstrap, topic, 1, true)).isEmpty();
            try (Admin admin = ItClients.admin(bootstrap)) {
                TransactionDescription d = admin.describeTransactions(List.of("abandoned"))
                        .description("abandoned").get(10, TimeUnit.SECONDS);
                assertThat(d.state()).isEqualTo(TransactionState.COMPLETE_ABORT);
                assertThat(d.producerEpoch()).as("epoch bumped to fence the producer").isEqualTo(1);
            }
            assertThatThrownBy(abandoned::commitTransaction).isInstanceOf(KafkaException.class);
        } finally {
            abandoned.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void offsetsCommittedInAnOpenTransactionAreUnstableForReadCommittedConsumers() throws Exception {
        String topic = "txn-unstable";
        String bootstrap = broker.bootstrapServers();
        ItClients.createTopic(bootstrap, topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = transactionalProducer(bootstrap, "unstable", 30_000);
             KafkaConsumer<String, String> consumer = ItClients.consumer(bootstrap, Map.of(
                     ConsumerConfig.GROUP_ID_CONFIG, "unstable-group",
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            producer.initTransactions();
            producer.beginTransaction();
            send(producer, topic, "u1");
            producer.sendOffsetsToTransaction(Map.of(tp, new OffsetAndMetadata(7)),
                    new ConsumerGroupMetadata("unstable-group", -1, "", java.util.Optional.empty()));

            // read_committed consumers ask for stable offsets: they wait while the commit is undecided.
            assertThatThrownBy(() -> consumer.committed(Set.of(tp), Duration.ofSeconds(2)))
                    .isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
            producer.commitTransaction();
            assertThat(consumer.committed(Set.of(tp), Duration.ofSeconds(10)).get(tp).offset()).isEqualTo(7L);
        }
    }

    @Test
    void adminDescribesAndListsTransactions() throws Exception {
        String topic = "txn-admin";
        String bootstrap = broker.bootstrapServers();
        ItClients.createTopic(bootstrap, topic, 3);
        try (KafkaProducer<String, String> producer = transactionalProducer(bootstrap, "described", 45_000);
             Admin admin = ItClients.admin(bootstrap)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "k", "v"));
            producer.send(new ProducerRecord<>(topic, 2, "k", "v"));
            producer.flush();

            TransactionDescription d = admin.describeTransactions(List.of("described")).description("described")
                    .get(10, TimeUnit.SECONDS);
            assertThat(d.state()).isEqualTo(TransactionState.ONGOING);
            assertThat(d.transactionTimeoutMs()).isEqualTo(45_000);
            assertThat(d.topicPartitions()).containsExactlyInAnyOrder(new TopicPartition(topic, 0),
                    new TopicPartition(topic, 2));
            Collection<TransactionListing> ongoing = admin.listTransactions(
                    new org.apache.kafka.clients.admin.ListTransactionsOptions()
                            .filterStates(List.of(TransactionState.ONGOING))).all().get(10, TimeUnit.SECONDS);
            assertThat(ongoing).extracting(TransactionListing::transactionalId).contains("described");

            producer.commitTransaction();
            assertThat(admin.describeTransactions(List.of("described")).description("described")
                    .get(10, TimeUnit.SECONDS).state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
            assertThatThrownBy(() -> admin.describeTransactions(List.of("never-used")).description("never-used")
                    .get(10, TimeUnit.SECONDS)).hasMessageContaining("TransactionalIdNotFound");
        }
        assertThat(values(bootstrap, topic, 3, true)).containsExactly("v", "v");
        Map<TopicPartition, Long> ends = endOffsets(bootstrap, topic, 3, true);
        assertThat(ends).containsEntry(new TopicPartition(topic, 1), 0L);
    }
}
