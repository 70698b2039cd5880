package io.tributary.connect.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.connect.testing.ConnectHarness;
import io.tributary.connect.testing.RestClient.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad connector configs are refused, by the validate endpoint and on create, with messages naming the field. */
class ValidationIT {

    @TempDir
    static Path dir;
    private static ConnectHarness harness;

    @BeforeAll
    static void start() {
        harness = ConnectHarness.start(dir);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void theValidateEndpointReportsEachErrorUnderItsSetting() {
        Answer answer = harness.rest().put("/connector-plugins/FileSourceConnector/config/validate", Map.of(
                "connector.class", "io.tributary.connect.file.FileSourceConnector", "name", "v", "tasks.max", "0",
                "errors.tolerance", "some"));
        assertThat(answer.status()).isEqualTo(200);
        JsonNode infos = answer.body();
        assertThat(infos.path("name").asText()).isEqualTo("io.tributary.connect.file.FileSourceConnector");
        assertThat(infos.path("error_count").asInt()).isEqualTo(4);
        assertThat(errorsOf(infos, "file")).singleElement().asString().contains("file");
        assertThat(errorsOf(infos, "topic")).singleElement().asString().contains("topic");
        assertThat(errorsOf(infos, "tasks.max")).singleElement().asString().contains("tasks.max");
        assertThat(errorsOf(infos, "errors.tolerance")).singleElement().asString().contains("errors.tolerance");
        assertThat(errorsOf(infos, "name")).isEmpty();
        assertThat(infos.path("groups").toString()).contains("Common");
    }

    @Test
    void aPluginsSettingsAreDescribed() {
        Answer answer = harness.rest().get("/connector-plugins/JdbcSinkConnector/config");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().findValuesAsText("name")).contains("connection.url", "insert.mode", "pk.mode");
        assertThat(harness.rest().get("/connector-plugins/Nope/config").status()).isEqualTo(404);
    }

    @Test
    void creatingAnInvalidConnectorFailsWithTheFieldInTheMessage() {
        assertRefused(Map.of("connector.class", "FileSinkConnector", "file", "/tmp/x"), "topics");
        assertRefused(Map.of("connector.class", "NoSuchConnector"), "connector.class");
        assertRefused(Map.of("connector.class", "FileSinkConnector", "file", "/tmp/x", "topics.regex", "metrics-("),
                "topics.regex");
        assertRefused(Map.of("connector.class", "FileSinkConnector", "file", "/tmp/x", "topics", "a",
                "topics.regex", "b.*"), "topics");
        assertRefused(Map.of("connector.class", "JdbcSinkConnector", "topics", "t", "connection.url", "mysql://db"),
                "connection.url");
        assertRefused(Map.of("connector.class", "JdbcSinkConnector", "topics", "t",
                "connection.url", "jdbc:postgresql://127.0.0.1/db", "insert.mode", "upsert"), "pk.mode");
        assertRefused(Map.of("connector.class", "FileSinkConnector", "file", "/tmp/x", "topics", "t",
                "transforms", "wrap"), "transforms.wrap.type");
        assertRefused(Map.of("connector.class", "FileSinkConnector", "file", "/tmp/x", "topics", "t",
                "value.converter", "com.example.Missing"), "value.converter");
        assertRefused(Map.of("connector.class", "HttpSinkConnector", "topics", "t", "http.url", "ftp://x"), "http.url");
        assertThat(harness.rest().get("/connectors").body()).isEmpty();
    }

    @Test
    void conflictsAndUnknownConnectorsAnswerWithKafkaConnectStatuses() {
        Map<String, Object> body = Map.of("name", "dup", "config", Map.of("connector.class", "FileSinkConnector",
                "file", dir.resolve("dup.txt").toString(), "topics", "dup"));
        assertThat(harness.rest().post("/connectors", body).status()).isEqualTo(201);
        Answer again = harness.rest().post("/connectors", body);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().path("message").asText()).contains("dup");
        assertThat(harness.rest().get("/connectors/none/status").status()).isEqualTo(404);
        assertThat(harness.rest().put("/connectors/none/pause", Map.of()).status()).isEqualTo(404);
        assertThat(harness.rest().post("/connectors/dup/tasks/7/restart", Map.of()).status()).isEqualTo(404);
        assertThat(harness.rest().post("/connectors", "not json").status()).isEqualTo(400);
        assertThat(harness.rest().delete("/connectors/dup").status()).isEqualTo(204);
    }

    private static void assertRefused(Map<String, String> config, String field) {
        Answer answer = harness.rest().post("/connectors", Map.of("name", "bad", "config", config));
        assertThat(answer.status()).as("status for %s", config).isEqualTo(400);
        assertThat(answer.body().path("error_code").asInt()).isEqualTo(400);
        assertThat(answer.body().path("message").asText()).as("message for %s", config).contains(field + ":");
    }

    private static List<String> errorsOf(JsonNode infos, String name) {
        for (JsonNode config : infos.path("configs")) {
            if (config.path("value").path("name").asText().equals(name)) {
                List<String> errors = new ArrayList<>();
                config.path("value").path("errors").forEach(e -> errors.add(e.asText()));
                return errors;
            }
        }
        throw new AssertionError("no config " + name + " in " + infos);
    }
}
