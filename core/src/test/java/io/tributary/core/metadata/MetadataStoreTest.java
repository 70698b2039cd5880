package io.tributary.core.metadata;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetadataStoreTest {

    @TempDir
    Path logDir;

    @Test
    void topicsAndDeletedIdsSurviveAReload() throws IOException {
        TopicInfo orders = new TopicInfo("orders", Uuid.randomUuid(), List.of(
                new PartitionState(List.of(1, 2), 2, 3, List.of(2), 6, List.of(2, 3)),
                PartitionState.single(1)), Map.of("cleanup.policy", "compact", "retention.ms", "60000"));
        TopicInfo audit = TopicInfo.single("audit", Uuid.randomUuid(), 3, Map.of(), 1);
        Set<Uuid> deleted = Set.of(Uuid.randomUuid(), Uuid.randomUuid());

        MetadataStore store = new MetadataStore(logDir);
        store.saveTopics(MetadataImage.of(List.of(orders, audit)));
        store.saveDeletedTopicIds(deleted);

        MetadataStore reopened = new MetadataStore(logDir);
        assertThat(reopened.loadTopics(1)).containsExactly(audit, orders);
        assertThat(reopened.loadDeletedTopicIds()).isEqualTo(deleted);
    }

    @Test
    void aMissingDirectoryHoldsNothing() throws IOException {
        MetadataStore store = new MetadataStore(logDir.resolve("fresh"));
        assertThat(store.loadTopics(0)).isEmpty();
        assertThat(store.loadDeletedTopicIds()).isEmpty();
    }

    @Test
    void filesWrittenByEarlierVersionsStillLoad() throws IOException {
        MetadataStore store = new MetadataStore(logDir);
        // As earlier versions wrote them: one topic with partition states, one from before replication.
        store.writeAtomically("topics.json", """
                {
                  "version" : 1,
                  "topics" : [ {
                    "name" : "events",
                    "id" : "AAAAAAAAAAAAAAAAAAAAAQ",
                    "partitions" : 1,
                    "configs" : { "retention.ms" : "1000" },
                    "states" : [ { "replicas" : [ 0, 1 ], "leader" : 1, "leaderEpoch" : 2, "isr" : [ 1 ],
                                   "partitionEpoch" : 5, "targetReplicas" : null } ]
                  }, {
                    "name" : "legacy",
                    "id" : "AAAAAAAAAAAAAAAAAAAAAg",
                    "partitions" : 2,
                    "configs" : { },
                    "someFutureField" : true
                  } ]
                }""".getBytes(StandardCharsets.UTF_8));
        store.writeAtomically("deleted-topics.json",
                "{\"version\":1,\"ids\":[\"AAAAAAAAAAAAAAAAAAAAAw\"]}".getBytes(StandardCharsets.UTF_8));

        List<TopicInfo> topics = store.loadTopics(7);

        assertThat(topics).containsExactly(
                new TopicInfo("events", Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ"),
                        List.of(new PartitionState(List.of(0, 1), 1, 2, List.of(1), 5)),
                        Map.of("retention.ms", "1000")),
                TopicInfo.single("legacy", Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAg"), 2, Map.of(), 7));
        assertThat(store.loadDeletedTopicIds()).containsExactly(Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAw"));
    }

    @Test
    void aDamagedFileIsReportedWithItsPath() throws IOException {
        MetadataStore store = new MetadataStore(logDir);
        store.writeAtomically("topics.json",
                "{\"version\":1,\"topics\":[{\"name\":\"x\"".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.loadTopics(0)).isInstanceOf(IOException.class)
                .hasMessageContaining("topics.json");

        store.writeAtomically("topics.json", "{\"version\":1,\"topics\":[{\"name\":\"x\",\"partitions\":1}]}"
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.loadTopics(0)).isInstanceOf(IOException.class)
                .hasMessageContaining("'id' is missing");

        for (String damaged : new String[] {"null", "[1, 2]", "{\"version\":1,\"topics\":[null]}",
                "{\"version\":1,\"topics\":[{\"name\":\"x\",\"id\":\"AAAAAAAAAAAAAAAAAAAAAQ\",\"states\":[null]}]}"}) {
            store.writeAtomically("topics.json", damaged.getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> store.loadTopics(0)).as(damaged).isInstanceOf(IOException.class)
                    .hasMessageContaining("topics.json");
        }
        for (String damaged : new String[] {"{\"version\":1,\"ids\":[null]}", "{\"version\":1,\"ids\":[\"x\"]}"}) {
            store.writeAtomically("deleted-topics.json", damaged.getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(store::loadDeletedTopicIds).as(damaged).isInstanceOf(IOException.class)
                    .hasMessageContaining("deleted-topics.json");
        }
    }
}
