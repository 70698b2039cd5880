package io.tributary.core.it;

import io.tributary.core.api.Admin;
import io.tributary.core.api.ApiException;
import io.tributary.core.api.ClusterOverview;
import io.tributary.core.api.GroupDetail;
import io.tributary.core.api.GroupMemberInfo;
import io.tributary.core.api.GroupOverview;
import io.tributary.core.api.GroupPartitionLag;
import io.tributary.core.api.MemberInfo;
import io.tributary.core.api.PartitionOverview;
import io.tributary.core.testing.EmbeddedBroker;
import io.vertx.core.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker API's admin view (LocalAdmin) of a single broker, after real Kafka clients produced and consumed in
 * groups of both protocols.
 */
class LocalAdminIT {

    @TempDir
    Path dir;
    private EmbeddedBroker embedded;
    private Admin admin;

    @BeforeEach
    void start() {
        embedded = EmbeddedBroker.start(dir, Map.of("offsets.topic.num.partitions", "2",
                "group.initial.rebalance.delay.ms", "0", "broker.rack", "rack-a"));
        admin = embedded.broker().api().admin();
    }

    @AfterEach
    void stop() {
        embedded.stop();
    }

    @Test
    void clusterIsThisBrokerAtItsAdvertisedKafkaAddress() throws Exception {
        ClusterOverview cluster = await(admin.cluster());
        assertThat(cluster.clusterId()).isEqualTo(embedded.broker().clusterId());
        assertThat(cluster.controllerId()).isZero();
        assertThat(cluster.members()).containsExactly(new MemberInfo(0, "127.0.0.1", embedded.port(), "rack-a", true));
    }

    @Test
    void partitionsShowLeaderReplicasIsrOffsetsAndSize() throws Exception {
        ItClients.createTopic(embedded.bootstrapServers(), "adm", 2, Map.of("retention.ms", "3600000"));
        produce("adm", 0, 10);
        produce("adm", 1, 3);

        List<PartitionOverview> partitions = await(admin.partitions("adm"));
        assertThat(partitions).extracting(PartitionOverview::partition).containsExactly(0, 1);
        PartitionOverview p0 = partitions.get(0);
        assertThat(p0.leader()).isZero();
        assertThat(p0.replicas()).containsExactly(0);
        assertThat(p0.isr()).containsExactly(0);
        assertThat(p0.logStartOffset()).isZero();
        assertThat(p0.logEndOffset()).isEqualTo(10);
        assertThat(partitions.get(1).logEndOffset()).isEqualTo(3);
        assertThat(p0.sizeBytes()).isGreaterThan(partitions.get(1).sizeBytes()).isGreaterThan(0);

        assertThat(admin.topicConfigs("adm").orElseThrow())
                .containsEntry("retention.ms", "3600000")
                .containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.bytes", "-1");
        assertThat(admin.topicConfigs("missing")).isEmpty();

        ExecutionException missing = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(admin.partitions("missing")));
        assertThat(missing.getCause()).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.reason()).isEqualTo(ApiException.Reason.UNKNOWN_TOPIC));
    }

    @Test
    void groupsOfBothProtocolsShowMembersAssignmentsAndLag() throws Exception {
        ItClients.createTopic(embedded.bootstrapServers(), "lagging", 2);
        produce("lagging", 0, 10);
        produce("lagging", 1, 4);
        TopicPartition p0 = new TopicPartition("lagging", 0);
        TopicPartition p1 = new TopicPartition("lagging", 1);

        try (KafkaConsumer<String, String> classic = member("g-classic", "classic", "classic-client");
             KafkaConsumer<String, String> modern = member("g-modern", "consumer", "modern-client")) {
            classic.commitSync(Map.of(p0, new OffsetAndMetadata(7), p1, new OffsetAndMetadata(4)));
            modern.commitSync(Map.of(p0, new OffsetAndMetadata(2)));

            List<GroupOverview> groups = await(admin.groups());
            assertThat(groups).containsExactly(
                    new GroupOverview("g-classic", "classic", "Stable", 1),
                    new GroupOverview("g-modern", "consumer", "Stable", 1));

            GroupDetail classicGroup = await(admin.group("g-classic")).orElseThrow();
            assertThat(classicGroup.type()).isEqualTo("classic");
            assertThat(classicGroup.state()).isEqualTo("Stable");
            assertThat(classicGroup.members()).singleElement().satisfies(m -> {
                assertThat(m.clientId()).isEqualTo("classic-client");
                assertThat(m.host()).contains("127.0.0.1");
                assertThat(m.assigned()).containsExactly(p0, p1);
            });
            assertThat(classicGroup.offsets()).containsExactly(
                    new GroupPartitionLag(p0, 7, 10, 3), new GroupPartitionLag(p1, 4, 4, 0));
            assertThat(classicGroup.totalLag()).isEqualTo(3);

            GroupDetail modernGroup = await(admin.group("g-modern")).orElseThrow();
            assertThat(modernGroup.type()).isEqualTo("consumer");
            assertThat(modernGroup.members()).extracting(GroupMemberInfo::clientId).containsExactly("modern-client");
            assertThat(modernGroup.members().get(0).assigned()).containsExactly(p0, p1);
            assertThat(modernGroup.offsets()).containsExactly(new GroupPartitionLag(p0, 2, 10, 8));
            assertThat(modernGroup.totalLag()).isEqualTo(8);
        }

        assertThat(await(admin.group("no-such-group"))).isEqualTo(Optional.empty());
        // Once the members left, the groups are empty and keep their offsets.
        GroupDetail left = await(admin.group("g-classic")).orElseThrow();
        assertThat(left.state()).isEqualTo("Empty");
        assertThat(left.members()).isEmpty();
        assertThat(left.totalLag()).isEqualTo(3);
    }

    /** A subscribed member of {@code group} that has received its assignment. */
    private KafkaConsumer<String, String> member(String group, String protocol, String clientId) {
        KafkaConsumer<String, String> consumer = ItClients.consumer(embedded.bootstrapServers(), Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId));
        consumer.subscribe(List.of("lagging"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (consumer.assignment().size() < 2 && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100));
        }
        assertThat(consumer.assignment()).as("assignment of %s", group).hasSize(2);
        return consumer;
    }

    private void produce(String topic, int partition, int count) throws Exception {
        try (KafkaProducer<String, String> producer = ItClients.producer(embedded.bootstrapServers())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, partition, "k" + i, "value-" + i)).get();
            }
        }
    }

    private static <T> T await(Future<T> future) throws ExecutionException, InterruptedException,
            java.util.concurrent.TimeoutException {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
