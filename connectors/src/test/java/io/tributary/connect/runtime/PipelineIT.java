package io.tributary.connect.runtime;

import io.tributary.connect.testing.ConnectHarness;
import io.tributary.core.api.StoredRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Converters, single message transforms with predicates, errors.tolerance and the dead letter topic. */
class PipelineIT {

    @TempDir
    static Path dir;
    private static ConnectHarness harness;

    @BeforeAll
    static void start() {
        harness = ConnectHarness.start(dir.resolve("data"));
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void transformsAndConvertersShapeTheRecords() throws Exception {
        Path input = dir.resolve("piped.txt");
        Files.writeString(input, "alpha\nbeta\n", StandardCharsets.UTF_8);
        Map<String, String> config = new HashMap<>(Map.of(
                "connector.class", "FileSourceConnector", "file", input.toString(), "topic", "piped",
                "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter.schemas.enable", "false",
                "transforms", "wrap,stamp,dropOther",
                "transforms.wrap.type", "org.apache.kafka.connect.transforms.HoistField$Value",
                "transforms.wrap.field", "line",
                "transforms.stamp.type", "org.apache.kafka.connect.transforms.InsertField$Value"));
        config.putAll(Map.of(
                "transforms.stamp.static.field", "origin", "transforms.stamp.static.value", "file",
                "transforms.stamp.predicate", "onPiped",
                "transforms.dropOther.type", "org.apache.kafka.connect.transforms.Filter",
                "transforms.dropOther.predicate", "onPiped", "transforms.dropOther.negate", "true",
                "predicates", "onPiped",
                "predicates.onPiped.type", "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
                "predicates.onPiped.pattern", "piped"));
        assertThat(harness.rest().put("/connectors/piped/config", config).status()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(30)).until(() -> harness.readValues("piped").size() == 2);
        assertThat(harness.readValues("piped")).containsExactly(
                "{\"line\":\"alpha\",\"origin\":\"file\"}", "{\"line\":\"beta\",\"origin\":\"file\"}");
    }

    @Test
    void toleratedFailuresSkipTheRecordAndSendTheOriginalToTheDeadLetterTopic() throws Exception {
        harness.append("mixed", List.of("{\"n\":1}", "not json", "{\"n\":2}", "{broken", "{\"n\":3}"));
        Path output = dir.resolve("mixed.txt");
        assertThat(harness.rest().put("/connectors/mixed/config", Map.of(
                "connector.class", "FileSinkConnector", "file", output.toString(), "topics", "mixed",
                "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter.schemas.enable", "false",
                "errors.tolerance", "all", "errors.log.enable", "true",
                "errors.deadletterqueue.topic.name", "mixed-dlq",
                "errors.deadletterqueue.context.headers.enable", "true")).status()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(30)).until(() -> lines(output).size() == 3);
        assertThat(lines(output)).containsExactly("{n=1}", "{n=2}", "{n=3}");
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.readAll("mixed-dlq").size() == 2);
        List<StoredRecord> dead = harness.readAll("mixed-dlq");
        assertThat(dead).extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly("not json", "{broken");
        assertThat(header(dead.get(0), "__connect.errors.stage")).isEqualTo("VALUE_CONVERTER");
        assertThat(header(dead.get(1), "__connect.errors.offset")).isEqualTo("3");
        assertThat(header(dead.get(1), "__connect.errors.connector.name")).isEqualTo("mixed");
        assertThat(harness.rest().taskState("mixed")).isEqualTo("RUNNING");
    }

    @Test
    void withoutToleranceABadRecordFailsTheTaskWithItsTrace() throws Exception {
        harness.append("strict", List.of("{\"n\":1}", "not json"));
        Path output = dir.resolve("strict.txt");
        assertThat(harness.rest().put("/connectors/strict/config", Map.of(
                "connector.class", "FileSinkConnector", "file", output.toString(), "topics", "strict",
                "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter.schemas.enable", "false")).status()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(30)).until(() -> harness.rest().taskState("strict").equals("FAILED"));
        String trace = harness.rest().get("/connectors/strict/status").body().path("tasks").get(0).path("trace").asText();
        assertThat(trace).contains("Tolerance exceeded").contains("VALUE_CONVERTER");
        assertThat(lines(output)).doesNotContain("{n=2}");
    }

    @Test
    void aSinkWithTopicsRegexReadsEveryMatchingTopicIncludingOnesCreatedLater() throws Exception {
        harness.append("metrics-a", List.of("a1", "a2"));
        harness.append("other", List.of("x"));
        Path output = dir.resolve("metrics.txt");
        assertThat(harness.rest().put("/connectors/metrics/config", Map.of(
                "connector.class", "FileSinkConnector", "file", output.toString(), "topics.regex", "metrics-.*",
                "value.converter", "org.apache.kafka.connect.storage.StringConverter")).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> lines(output).size() == 2);
        harness.append("metrics-b", List.of("b1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> lines(output).size() == 3);
        assertThat(lines(output)).containsExactlyInAnyOrder("a1", "a2", "b1");
    }

    private static String header(StoredRecord record, String name) {
        byte[] value = record.header(name);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }
}
