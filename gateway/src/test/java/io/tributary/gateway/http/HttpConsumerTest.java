package io.tributary.gateway.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Consumer instances: real group members, manual assignment, positions, offsets, idle expiry. */
class HttpConsumerTest {

    private static final long IDLE_TIMEOUT_MS = 4_000;

    @TempDir
    static Path dataDir;
    static HttpTestBroker gw;

    @BeforeAll
    static void start() {
        gw = HttpTestBroker.start(dataDir, Map.of("http.consumer.instance.timeout.ms", String.valueOf(IDLE_TIMEOUT_MS)),
                null);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private static String instance(String group, String name) {
        return "/consumers/" + group + "/instances/" + name;
    }

    private static void createInstance(String group, String name, String format, String reset, boolean autoCommit) {
        HttpTestBroker.Reply created = gw.postJson("/consumers/" + group, new JsonObject().put("name", name)
                .put("format", format).put("auto.offset.reset", reset).put("auto.commit.enable", String.valueOf(autoCommit)));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.json().getString("instance_id")).isEqualTo(name);
        assertThat(created.json().getString("base_uri")).endsWith(instance(group, name));
    }

    /** Long-polls the instance until {@code expected} records have arrived. */
    private static JsonArray poll(String path, String accept, int expected) {
        JsonArray all = new JsonArray();
        long deadline = System.currentTimeMillis() + 30_000;
        while (all.size() < expected && System.currentTimeMillis() < deadline) {
            HttpTestBroker.Reply reply = gw.send("GET", path + "/records?timeout=1000", null, null, Map.of("Accept", accept));
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.contentType()).isEqualTo(accept);
            reply.array().forEach(all::add);
        }
        assertThat(all).hasSize(expected);
        return all;
    }

    @Test
    void eachFormatRoundTripsThroughKafkaAndBackOutThroughAnHttpConsumer() {
        Map<String, JsonObject> produced = Map.of(
                "binary", new JsonObject().put("key", b64("bk")).put("value", Base64.getEncoder().encodeToString(new byte[]{1, 0, (byte) 200})),
                "json", new JsonObject().put("key", new JsonObject().put("k", 1)).put("value", new JsonArray().add(true).add(2.5)),
                "text", new JsonObject().put("key", "tk").put("value", "ünïcode text"));
        for (Map.Entry<String, JsonObject> e : produced.entrySet()) {
            String format = e.getKey();
            String topic = "roundtrip-" + format;
            String media = "application/vnd.kafka." + format + ".v2+json";
            gw.createTopic(topic, 2);
            HttpTestBroker.Reply sent = gw.post("/topics/" + topic, media,
                    new JsonObject().put("records", new JsonArray().add(e.getValue())).encode());
            assertThat(sent.status()).isEqualTo(200);
            // The Kafka consumer sees exactly the bytes the format stands for...
            assertThat(gw.readAll(topic, 2, 1)).hasSize(1);

            // ...and an HTTP consumer of the same format gives back what was sent.
            createInstance("g-" + format, "c1", format, "earliest", false);
            String path = instance("g-" + format, "c1");
            assertThat(gw.postJson(path + "/subscription", new JsonObject().put("topics", new JsonArray().add(topic))).status())
                    .isEqualTo(204);
            JsonObject record = poll(path, media, 1).getJsonObject(0);
            assertThat(record.getString("topic")).isEqualTo(topic);
            assertThat(record.getValue("key")).isEqualTo(e.getValue().getValue("key"));
            assertThat(record.getValue("value")).isEqualTo(e.getValue().getValue("value"));
            assertThat(record.getLong("offset")).isZero();

            // The Accept header picks the format of an answer: the same record again, base64-encoded.
            assertThat(gw.postJson(path + "/positions/beginning", new JsonObject().put("partitions", new JsonArray()
                    .add(new JsonObject().put("topic", topic).put("partition", record.getInteger("partition"))))).status())
                    .isEqualTo(204);
            JsonObject asBinary = poll(path, "application/vnd.kafka.binary.v2+json", 1).getJsonObject(0);
            byte[] stored = Base64.getDecoder().decode(asBinary.getString("value"));
            assertThat(EmbeddedFormat.byName(format).codec().encode(stored)).isEqualTo(e.getValue().getValue("value"));
            assertThat(gw.delete(path).status()).isEqualTo(204);
        }
    }

    @Test
    void recordsFromAKafkaProducerArriveWithHeadersAndCommitsAreSeenByTheGroup() throws Exception {
        String topic = "kafka-to-http";
        gw.createTopic(topic, 1);
        try (KafkaProducer<byte[], byte[]> producer = gw.producer()) {
            for (int i = 0; i < 5; i++) {
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, ("k" + i).getBytes(StandardCharsets.UTF_8),
                        ("v" + i).getBytes(StandardCharsets.UTF_8));
                r.headers().add("trace", ("t" + i).getBytes(StandardCharsets.UTF_8));
                producer.send(r).get();
            }
        }
        createInstance("g-commit", "c1", "text", "earliest", false);
        String path = instance("g-commit", "c1");
        gw.postJson(path + "/subscription", new JsonObject().put("topics", new JsonArray().add(topic)));
        JsonArray records = poll(path, "application/vnd.kafka.text.v2+json", 5);
        assertThat(records.stream().map(r -> ((JsonObject) r).getString("value")).toList())
                .containsExactly("v0", "v1", "v2", "v3", "v4");
        JsonObject header = records.getJsonObject(0).getJsonArray("headers").getJsonObject(0);
        assertThat(header.getString("key")).isEqualTo("trace");
        assertThat(new String(Base64.getDecoder().decode(header.getString("value")), StandardCharsets.UTF_8)).isEqualTo("t0");

        // An empty body commits the current positions: past all five records.
        assertThat(gw.postJson(path + "/offsets", null).status()).isEqualTo(204);
        JsonObject partitions = new JsonObject().put("partitions", new JsonArray()
                .add(new JsonObject().put("topic", topic).put("partition", 0)));
        HttpTestBroker.Reply committed = gw.send("GET", path + "/offsets", MediaTypes.KAFKA_V2, partitions.encode(), Map.of());
        assertThat(committed.status()).isEqualTo(200);
        assertThat(committed.json().getJsonArray("offsets").getJsonObject(0).getLong("offset")).isEqualTo(5);

        // A Kafka consumer of the same group sees the commit.
        try (KafkaConsumer<byte[], byte[]> kafka = gw.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "g-commit"))) {
            TopicPartition tp = new TopicPartition(topic, 0);
            assertThat(kafka.committed(Set.of(tp)).get(tp).offset()).isEqualTo(5);
        }
        assertThat(gw.delete(path).status()).isEqualTo(204);
        assertThat(gw.delete(path).status()).isEqualTo(404);
    }

    @Test
    void manualAssignmentWithPositionsAndExplicitCommits() {
        String topic = "manual";
        gw.createTopic(topic, 2);
        JsonArray records = new JsonArray();
        for (int i = 0; i < 10; i++) {
            records.add(new JsonObject().put("value", "m" + i).put("partition", i % 2));
        }
        gw.post("/topics/" + topic, "application/vnd.kafka.text.v2+json", new JsonObject().put("records", records).encode());

        createInstance("g-manual", "c1", "text", "latest", false);
        String path = instance("g-manual", "c1");
        JsonObject p1 = new JsonObject().put("partitions", new JsonArray().add(new JsonObject().put("topic", topic).put("partition", 1)));
        assertThat(gw.postJson(path + "/assignments", p1).status()).isEqualTo(204);
        assertThat(gw.get(path + "/assignments").json()).isEqualTo(p1);
        // Subscribing now conflicts with the manual assignment.
        assertThat(gw.postJson(path + "/subscription", new JsonObject().put("topics", new JsonArray().add(topic))).status())
                .isEqualTo(409);

        // latest: nothing yet; seek to the beginning, then to offset 3.
        assertThat(gw.send("GET", path + "/records?timeout=0", null, null, Map.of()).array()).isEmpty();
        assertThat(gw.postJson(path + "/positions/beginning", p1).status()).isEqualTo(204);
        assertThat(poll(path, "application/vnd.kafka.text.v2+json", 5).stream()
                .map(r -> ((JsonObject) r).getString("value")).toList()).containsExactly("m1", "m3", "m5", "m7", "m9");
        JsonObject seek = new JsonObject().put("offsets", new JsonArray()
                .add(new JsonObject().put("topic", topic).put("partition", 1).put("offset", 3)));
        assertThat(gw.postJson(path + "/positions", seek).status()).isEqualTo(204);
        assertThat(poll(path, "application/vnd.kafka.text.v2+json", 2).stream()
                .map(r -> ((JsonObject) r).getString("value")).toList()).containsExactly("m7", "m9");
        // Seeking a partition the instance does not own is refused.
        JsonObject other = new JsonObject().put("offsets", new JsonArray()
                .add(new JsonObject().put("topic", topic).put("partition", 0).put("offset", 0)));
        assertThat(gw.postJson(path + "/positions", other).status()).isEqualTo(409);

        JsonObject commit = new JsonObject().put("offsets", new JsonArray()
                .add(new JsonObject().put("topic", topic).put("partition", 1).put("offset", 4)));
        assertThat(gw.postJson(path + "/offsets", commit).status()).isEqualTo(204);
        HttpTestBroker.Reply committed = gw.send("GET", path + "/offsets", MediaTypes.KAFKA_V2, p1.encode(), Map.of());
        assertThat(committed.json().getJsonArray("offsets").getJsonObject(0).getLong("offset")).isEqualTo(4);

        // max_bytes: each value is 2 bytes, so 4 bytes gives two records (always at least one).
        assertThat(gw.postJson(path + "/positions/beginning", p1).status()).isEqualTo(204);
        HttpTestBroker.Reply limited = gw.send("GET", path + "/records?timeout=2000&max_bytes=4", null, null, Map.of());
        assertThat(limited.array()).hasSize(2);
        assertThat(gw.delete(path).status()).isEqualTo(204);
    }

    @Test
    void httpAndKafkaConsumersInOneGroupShareThePartitions() {
        String topic = "shared-group";
        gw.createTopic(topic, 2);
        createInstance("g-shared", "http-member", "binary", "earliest", true);
        String path = instance("g-shared", "http-member");
        gw.postJson(path + "/subscription", new JsonObject().put("topics", new JsonArray().add(topic)));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> gw.get(path + "/assignments").json().getJsonArray("partitions").size() == 2);

        try (KafkaConsumer<byte[], byte[]> kafka = gw.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "g-shared",
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"))) {
            kafka.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                kafka.poll(Duration.ofMillis(100));
                Set<Integer> httpOwned = gw.get(path + "/assignments").json().getJsonArray("partitions").stream()
                        .map(p -> ((JsonObject) p).getInteger("partition")).collect(Collectors.toSet());
                Set<Integer> kafkaOwned = kafka.assignment().stream().map(TopicPartition::partition).collect(Collectors.toSet());
                assertThat(httpOwned).hasSize(1);
                assertThat(kafkaOwned).hasSize(1);
                assertThat(httpOwned).doesNotContainAnyElementsOf(kafkaOwned);
            });
        }
        assertThat(gw.delete(path).status()).isEqualTo(204);
    }

    @Test
    void aRebalanceHandsPartitionsOverWithoutLosingOrRepeatingRecords() {
        String topic = "handover";
        gw.createTopic(topic, 2);
        produceText(topic, "old", 20);
        createInstance("g-handover", "a", "text", "earliest", true);
        String a = instance("g-handover", "a");
        assertThat(gw.postJson(a + "/subscription", new JsonObject().put("topics", new JsonArray().add(topic))).status())
                .isEqualTo(204);
        assertThat(poll(a, "application/vnd.kafka.text.v2+json", 20)).hasSize(20);

        createInstance("g-handover", "b", "text", "earliest", true);
        String b = instance("g-handover", "b");
        HttpTestBroker.Reply subscribed = gw.postJson(b + "/subscription",
                new JsonObject().put("topics", new JsonArray().add(topic)));
        assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(204);
        // a commits what it read when giving a partition up, so b starts after the old records.
        // Both are asked each time: asking is what keeps an instance from idling out.
        await().atMost(Duration.ofSeconds(30)).until(() -> owned(a) + 10 * owned(b) == 11);

        produceText(topic, "new", 10);
        Set<String> seen = new java.util.HashSet<>();
        long deadline = System.currentTimeMillis() + 30_000;
        while (seen.size() < 10 && System.currentTimeMillis() < deadline) {
            for (String path : List.of(a, b)) {
                gw.send("GET", path + "/records?timeout=500", null, null, Map.of()).array().forEach(r -> {
                    String value = ((JsonObject) r).getString("value");
                    assertThat(value).as("only new records after the hand-over").startsWith("new");
                    assertThat(seen.add(value)).as("%s delivered twice", value).isTrue();
                });
            }
        }
        assertThat(seen).hasSize(10);
        assertThat(gw.delete(a).status()).isEqualTo(204);
        assertThat(gw.delete(b).status()).isEqualTo(204);
    }

    @Test
    void concurrentPollsOfOneInstanceNeverReturnTheSameRecordTwice() throws Exception {
        String topic = "parallel-polls";
        gw.createTopic(topic, 1);
        createInstance("g-parallel", "c1", "text", "earliest", false);
        String path = instance("g-parallel", "c1");
        JsonObject p0 = new JsonObject().put("partitions", new JsonArray().add(new JsonObject().put("topic", topic).put("partition", 0)));
        assertThat(gw.postJson(path + "/assignments", p0).status()).isEqualTo(204);
        produceText(topic, "pp", 40);

        List<java.util.concurrent.CompletableFuture<JsonArray>> polls = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            polls.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> gw.send("GET",
                    path + "/records?timeout=500&max_bytes=40", null, null, Map.of()).array()));
        }
        List<String> values = new java.util.ArrayList<>();
        for (var poll : polls) {
            poll.get(30, java.util.concurrent.TimeUnit.SECONDS).forEach(r -> values.add(((JsonObject) r).getString("value")));
        }
        assertThat(values).doesNotHaveDuplicates().isNotEmpty();
        assertThat(gw.delete(path).status()).isEqualTo(204);
    }

    @Test
    void aTopicPatternSubscriptionFollowsMatchingTopicsIncludingNewOnes() {
        gw.createTopic("pat-a", 1);
        produceText("pat-a", "a", 3);
        produceText("other", "o", 2);
        createInstance("g-pattern", "c1", "text", "earliest", false);
        String path = instance("g-pattern", "c1");
        assertThat(gw.postJson(path + "/subscription", new JsonObject().put("topic_pattern", "pat-[a-z]")).status())
                .isEqualTo(204);
        assertThat(poll(path, "application/vnd.kafka.text.v2+json", 3).stream()
                .map(r -> ((JsonObject) r).getString("value")).toList()).containsExactlyInAnyOrder("a-0", "a-1", "a-2");

        gw.createTopic("pat-b", 1);
        produceText("pat-b", "b", 2);
        assertThat(poll(path, "application/vnd.kafka.text.v2+json", 2).stream()
                .map(r -> ((JsonObject) r).getString("value")).toList()).containsExactlyInAnyOrder("b-0", "b-1");
        JsonObject subscription = gw.get(path + "/subscription").json();
        assertThat(subscription.getString("topic_pattern")).isEqualTo("pat-[a-z]");
        assertThat(subscription.getJsonArray("topics")).containsExactlyInAnyOrder("pat-a", "pat-b");

        assertThat(gw.postJson(path + "/subscription", new JsonObject().put("topic_pattern", "pat-(")).status())
                .isEqualTo(422);
        assertThat(gw.postJson(path + "/subscription", new JsonObject().put("topic_pattern", "x")
                .put("topics", new JsonArray().add("x"))).status()).isEqualTo(422);
        assertThat(gw.delete(path).status()).isEqualTo(204);
    }

    private static int owned(String path) {
        return gw.get(path + "/assignments").json().getJsonArray("partitions").size();
    }

    private static void produceText(String topic, String prefix, int count) {
        JsonArray records = new JsonArray();
        for (int i = 0; i < count; i++) {
            records.add(new JsonObject().put("key", prefix + "-key-" + i).put("value", prefix + "-" + i));
        }
        assertThat(gw.post("/topics/" + topic, "application/vnd.kafka.text.v2+json",
                new JsonObject().put("records", records).encode()).status()).isEqualTo(200);
    }

    @Test
    void anIdleInstanceIsClosedAfterTheConfiguredTimeout() {
        createInstance("g-idle", "sleepy", "binary", "latest", true);
        String path = instance("g-idle", "sleepy");
        assertThat(gw.get(path + "/subscription").status()).isEqualTo(200);
        assertThat(gw.gateway.hasConsumerInstance("g-idle", "sleepy")).isTrue();
        // A long poll is use, not idleness, even when it outlasts the idle timeout.
        HttpTestBroker.Reply longPoll = gw.get(path + "/records?timeout=" + (IDLE_TIMEOUT_MS + 2_000));
        assertThat(longPoll.status()).isEqualTo(200);
        assertThat(longPoll.array()).isEmpty();
        assertThat(gw.gateway.hasConsumerInstance("g-idle", "sleepy")).isTrue();
        await().atMost(Duration.ofMillis(IDLE_TIMEOUT_MS * 4)).pollInterval(Duration.ofMillis(IDLE_TIMEOUT_MS / 2))
                .until(() -> !gw.gateway.hasConsumerInstance("g-idle", "sleepy"));
        assertThat(gw.get(path + "/subscription").status()).isEqualTo(404);
        assertThat(gw.get(path + "/subscription").json().getInteger("error_code")).isEqualTo(40403);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
