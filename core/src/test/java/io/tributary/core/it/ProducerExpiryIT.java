package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.tributary.core.it.TxnItSupport.send;
import static io.tributary.core.it.TxnItSupport.transactionalProducer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Expiry of producer state: a partition forgets an idle producer after producer.id.expiration.ms, and the
 * transaction coordinator forgets a transactional id idle for transactional.id.expiration.ms.
 */
class ProducerExpiryIT {

    @TempDir
    static Path dataDir;

    private static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.start(dataDir, Map.of(
                "producer.id.expiration.ms", "1500",
                "log.retention.check.interval.ms", "300",
                "transactional.id.expiration.ms", "1500"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void idleProducersAreForgottenByThePartition() throws Exception {
        String bootstrap = broker.bootstrapServers();
        ItClients.createTopic(bootstrap, "expiry", 1);
        TopicPartition tp = new TopicPartition("expiry", 0);
        try (KafkaProducer<String, String> producer = ItClients.producer(bootstrap, Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"));
             Admin admin = ItClients.admin(bootstrap)) {
            producer.send(new ProducerRecord<>("expiry", "k", "v")).get(10, TimeUnit.SECONDS);
            assertThat(admin.describeProducers(List.of(tp)).partitionResult(tp).get(10, TimeUnit.SECONDS)
                    .activeProducers()).hasSize(1);
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(admin.describeProducers(List.of(tp)).partitionResult(tp).get(10, TimeUnit.SECONDS)
                            .activeProducers()).isEmpty());
        }
    }

    @Test
    void idleTransactionalIdsAreForgottenByTheCoordinator() throws Exception {
        String bootstrap = broker.bootstrapServers();
        ItClients.createTopic(bootstrap, "expiry-txn", 1);
        try (KafkaProducer<String, String> producer = transactionalProducer(bootstrap, "expiring", 30_000);
             Admin admin = ItClients.admin(bootstrap)) {
            producer.initTransactions();
            producer.beginTransaction();
            send(producer, "expiry-txn", "e1");
            producer.commitTransaction();
            assertThat(admin.describeTransactions(List.of("expiring")).description("expiring")
                    .get(10, TimeUnit.SECONDS).state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThatThrownBy(() -> admin.describeTransactions(List.of("expiring")).description("expiring")
                            .get(10, TimeUnit.SECONDS))
                            .isInstanceOf(ExecutionException.class)
                            .hasCauseInstanceOf(TransactionalIdNotFoundException.class));
        }
    }
}
