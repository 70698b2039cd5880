package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Offset retention's periodic check with real consumers: an empty group without committed offsets is deleted at
 * the next check, one whose offsets are within offsets.retention.minutes is kept. (Which offsets expire, and from
 * when, is covered on a manual clock by OffsetExpiryTest: retention is counted in minutes.)
 */
class OffsetRetentionIT {

    @TempDir
    Path dir;
    private EmbeddedBroker broker;

    @BeforeEach
    void start() {
        Map<String, String> overrides = new HashMap<>(GroupTestBroker.overrides());
        overrides.put("offsets.topic.num.partitions", "1");
        overrides.put("offsets.retention.check.interval.ms", "300");
        broker = EmbeddedBroker.start(dir, overrides);
    }

    @AfterEach
    void stop() {
        broker.stop();
    }

    @Test
    void anEmptyGroupWithoutOffsetsIsDeletedAndOneWithRecentOffsetsIsKept() throws Exception {
        ItClients.createTopic(broker.bootstrapServers(), "r", 1);
        TopicPartition tp = new TopicPartition("r", 0);
        for (String group : List.of("kept", "gone")) {
            try (KafkaConsumer<String, String> consumer = ItClients.consumer(broker.bootstrapServers(),
                    Map.of(ConsumerConfig.GROUP_ID_CONFIG, group))) {
                consumer.subscribe(List.of("r"));
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    consumer.poll(Duration.ofMillis(100));
                    return !consumer.assignment().isEmpty();
                });
                if (group.equals("kept")) {
                    consumer.commitSync(Map.of(tp, new OffsetAndMetadata(0)));
                }
            }
        }
        try (Admin admin = ItClients.admin(broker.bootstrapServers())) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(groups(admin)).contains("kept").doesNotContain("gone"));
            Thread.sleep(1_000); // a few more checks
            assertThat(groups(admin)).contains("kept");
            assertThat(admin.listConsumerGroupOffsets("kept").partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS)).containsKey(tp);
        }
    }

    private static Set<String> groups(Admin admin) throws Exception {
        return admin.listGroups().all().get(30, TimeUnit.SECONDS).stream().map(GroupListing::groupId)
                .collect(Collectors.toSet());
    }
}
