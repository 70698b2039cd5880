package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterClientQuotasOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.tributary.core.it.SecureListenersIT.admin;
import static io.tributary.core.it.SecureListenersIT.sasl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Client quotas with the real Admin, producer and consumer: AlterClientQuotas / DescribeClientQuotas with Kafka's
 * entity matching (user, client-id, defaults, strict and non-strict filters), stored across a restart, and
 * producer_byte_rate / consumer_byte_rate slowing a client down to about its quota with throttle_time_ms.
 */
class ClientQuotasIT {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " user_admin=\"admin-secret\" user_alice=\"alice-secret\" user_bob=\"bob-secret\""
            + " user_carol=\"carol-secret\";";

    @TempDir
    static Path work;
    private static Map<String, String> props;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() {
        props = new HashMap<>();
        props.put("listeners", "SASL_PLAINTEXT://127.0.0.1:0");
        props.put("sasl.jaas.config", JAAS);
        // Two one-second samples: a client's first burst is bounded by about one second of its quota.
        props.put("quota.window.num", "2");
        props.put("quota.window.size.seconds", "1");
        broker = EmbeddedBroker.start(work.resolve("data"), props);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static String bootstrap() {
        return "127.0.0.1:" + broker.broker().boundListeners().get(0).port();
    }

    private static Map<String, Object> as(String user) {
        return sasl("SASL_PLAINTEXT", "PLAIN", user, user + "-secret");
    }

    private static ClientQuotaEntity user(String name) {
        return new ClientQuotaEntity(Collections.singletonMap(ClientQuotaEntity.USER, name));
    }

    private static ClientQuotaEntity clientId(String name) {
        return new ClientQuotaEntity(Collections.singletonMap(ClientQuotaEntity.CLIENT_ID, name));
    }

    private static ClientQuotaEntity userAndClient(String user, String clientId) {
        Map<String, String> parts = new HashMap<>();
        parts.put(ClientQuotaEntity.USER, user);
        parts.put(ClientQuotaEntity.CLIENT_ID, clientId);
        return new ClientQuotaEntity(parts);
    }

    private static ClientQuotaAlteration set(ClientQuotaEntity entity, String key, Double value) {
        return new ClientQuotaAlteration(entity, List.of(new ClientQuotaAlteration.Op(key, value)));
    }

    private static Map<ClientQuotaEntity, Map<String, Double>> describe(Admin admin, ClientQuotaFilter filter)
            throws Exception {
        return admin.describeClientQuotas(filter).entities().get(20, TimeUnit.SECONDS);
    }

    @Test
    void alteredQuotasAreDescribedWithKafkasEntityMatchingAndSurviveARestart() throws Exception {
        try (Admin admin = admin(bootstrap(), as("admin"))) {
            admin.alterClientQuotas(List.of(
                    set(user("alice"), "producer_byte_rate", 100_000.0),
                    set(user(null), "consumer_byte_rate", 2_000_000.0),
                    set(clientId("app1"), "producer_byte_rate", 500_000.0),
                    set(userAndClient("alice", null), "producer_byte_rate", 200_000.0)))
                    .all().get(20, TimeUnit.SECONDS);

            // (Other tests of this class set quotas of their own users.)
            assertThat(describe(admin, ClientQuotaFilter.all())).containsKeys(user("alice"), user(null),
                    clientId("app1"), userAndClient("alice", null));
            assertThat(describe(admin, ClientQuotaFilter.containsOnly(
                    List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, "alice")))))
                    .isEqualTo(Map.of(user("alice"), Map.of("producer_byte_rate", 100_000.0)));
            assertThat(describe(admin, ClientQuotaFilter.contains(
                    List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, "alice")))))
                    .containsOnlyKeys(user("alice"), userAndClient("alice", null));
            assertThat(describe(admin, ClientQuotaFilter.containsOnly(
                    List.of(ClientQuotaFilterComponent.ofDefaultEntity(ClientQuotaEntity.USER)))))
                    .isEqualTo(Map.of(user(null), Map.of("consumer_byte_rate", 2_000_000.0)));
            assertThat(describe(admin, ClientQuotaFilter.contains(
                    List.of(ClientQuotaFilterComponent.ofEntityType(ClientQuotaEntity.CLIENT_ID)))))
                    .containsOnlyKeys(clientId("app1"), userAndClient("alice", null));
            assertThat(describe(admin, ClientQuotaFilter.containsOnly(List.of(
                    ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, "alice"),
                    ClientQuotaFilterComponent.ofDefaultEntity(ClientQuotaEntity.CLIENT_ID)))))
                    .isEqualTo(Map.of(userAndClient("alice", null), Map.of("producer_byte_rate", 200_000.0)));

            // Removing a key (null value), validate-only changes, and what is refused.
            admin.alterClientQuotas(List.of(set(clientId("app1"), "producer_byte_rate", null)))
                    .all().get(20, TimeUnit.SECONDS);
            admin.alterClientQuotas(List.of(set(clientId("dry-run"), "producer_byte_rate", 1_000.0)),
                    new AlterClientQuotasOptions().validateOnly(true)).all().get(20, TimeUnit.SECONDS);
            assertThatThrownBy(() -> admin.alterClientQuotas(List.of(set(user("alice"), "request_percentage", 50.0)))
                    .all().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("not supported");
            assertThatThrownBy(() -> admin.alterClientQuotas(List.of(set(
                    new ClientQuotaEntity(Map.of(ClientQuotaEntity.IP, "10.0.0.1")), "connection_creation_rate", 5.0)))
                    .all().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InvalidRequestException.class);
            assertThatThrownBy(() -> admin.alterClientQuotas(List.of(set(user("alice"), "producer_byte_rate", -5.0)))
                    .all().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InvalidRequestException.class);
        }
        broker.close();
        broker = EmbeddedBroker.start(work.resolve("data"), props);
        try (Admin admin = admin(bootstrap(), as("admin"))) {
            assertThat(describe(admin, ClientQuotaFilter.all())).containsAllEntriesOf(Map.of(
                    user("alice"), Map.of("producer_byte_rate", 100_000.0),
                    user(null), Map.of("consumer_byte_rate", 2_000_000.0),
                    userAndClient("alice", null), Map.of("producer_byte_rate", 200_000.0)))
                    .doesNotContainKeys(clientId("app1"), clientId("dry-run"));
        }
    }

    @Test
    void aProducerOverItsByteRateIsThrottledToAboutItsQuota() throws Exception {
        double quota = 50_000;
        try (Admin admin = admin(bootstrap(), as("admin"))) {
            admin.alterClientQuotas(List.of(set(user("bob"), "producer_byte_rate", quota)))
                    .all().get(20, TimeUnit.SECONDS);
            assertThat(describe(admin, ClientQuotaFilter.containsOnly(
                    List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, "bob")))))
                    .isEqualTo(Map.of(user("bob"), Map.of("producer_byte_rate", quota)));
        }
        Map<String, Object> config = new HashMap<>(as("bob"));
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "bob-producer");
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 8_192);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256 * 1024L);
        String value = "x".repeat(1_000);
        AtomicLong ackedAfterWarmUp = new AtomicLong();
        long measuredNanos;
        try (KafkaProducer<String, String> producer = ItClients.producer(bootstrap(), config)) {
            long started = System.nanoTime();
            long warmUpEnds = started + TimeUnit.SECONDS.toNanos(2);
            long ends = started + TimeUnit.SECONDS.toNanos(8);
            while (System.nanoTime() < ends) {
                producer.send(new ProducerRecord<>("quota-produce", value), (md, e) -> {
                    long now = System.nanoTime();
                    // Only acknowledgements within the measured span (close() later drains the buffer).
                    if (e == null && now > warmUpEnds && now <= ends) {
                        ackedAfterWarmUp.addAndGet(value.length());
                    }
                });
            }
            measuredNanos = ends - warmUpEnds;
            assertThat(metric(producer.metrics(), "produce-throttle-time-max")).isPositive();
        }
        double rate = ackedAfterWarmUp.get() / (measuredNanos / 1e9);
        System.out.printf("producer quota %.0f B/s, measured %.0f B/s%n", quota, rate);
        // Bounded near the quota (record values only, so a little under it), with a generous margin.
        assertThat(rate).as("bytes per second acknowledged after the first two seconds")
                .isLessThan(quota * 2).isGreaterThan(quota * 0.2);
    }

    @Test
    void aConsumerOverItsByteRateIsThrottledToAboutItsQuota() throws Exception {
        double quota = 100_000;
        String value = "y".repeat(1_000);
        Map<String, Object> fast = new HashMap<>(as("admin"));
        fast.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, String> producer = ItClients.producer(bootstrap(), fast)) {
            for (int i = 0; i < 2_000; i++) {
                producer.send(new ProducerRecord<>("quota-fetch", value));
            }
            producer.flush();
        }
        try (Admin admin = admin(bootstrap(), as("admin"))) {
            admin.alterClientQuotas(List.of(set(userAndClient("carol", "carol-reader"), "consumer_byte_rate", quota)))
                    .all().get(20, TimeUnit.SECONDS);
        }
        Map<String, Object> config = new HashMap<>(as("carol"));
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "carol-reader");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024);
        long bytesAfterWarmUp = 0;
        long measuredNanos;
        try (KafkaConsumer<String, String> consumer = ItClients.consumer(bootstrap(), config)) {
            TopicPartition tp = new TopicPartition("quota-fetch", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long started = System.nanoTime();
            long warmUpEnds = started + TimeUnit.SECONDS.toNanos(2);
            long ends = started + TimeUnit.SECONDS.toNanos(8);
            while (System.nanoTime() < ends) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (System.nanoTime() > warmUpEnds) {
                        bytesAfterWarmUp += r.value().length();
                    }
                }
            }
            measuredNanos = ends - warmUpEnds;
            assertThat(metric(consumer.metrics(), "fetch-throttle-time-max")).isPositive();
        }
        double rate = bytesAfterWarmUp / (measuredNanos / 1e9);
        System.out.printf("consumer quota %.0f B/s, measured %.0f B/s%n", quota, rate);
        assertThat(rate).as("bytes per second consumed after the first two seconds")
                .isLessThan(quota * 2).isGreaterThan(quota * 0.2);
    }

    private static double metric(Map<MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .filter(v -> !Double.isNaN(v)).max().orElse(0);
    }
}
