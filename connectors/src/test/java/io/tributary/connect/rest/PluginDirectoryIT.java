package io.tributary.connect.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.connect.testing.ConnectHarness;
import io.tributary.connect.testing.RestClient.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Kafka's own connect-file plugin, loaded from the plugin directory (it is not on the test class path),
 * managed through the REST API the way Kafka Connect's tools do.
 */
class PluginDirectoryIT {

    private static final String SOURCE = "org.apache.kafka.connect.file.FileStreamSourceConnector";
    private static final String SINK = "org.apache.kafka.connect.file.FileStreamSinkConnector";

    @TempDir
    Path dir;
    private ConnectHarness harness;

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aThirdPartyPluginRunsAndIsManagedThroughTheRestApi() throws Exception {
        assertThatThrownBy(() -> Class.forName(SOURCE)).isInstanceOf(ClassNotFoundException.class);
        Path input = dir.resolve("in.txt");
        Path output = dir.resolve("out.txt");
        appendLines(input, 0, 20);
        harness = ConnectHarness.start(dir.resolve("data"),
                Map.of("connect.plugin.path", System.getProperty("connect.test.plugin.dir")));

        JsonNode plugins = harness.rest().get("/connector-plugins").body();
        assertThat(plugins.findValuesAsText("class")).contains(SOURCE, SINK,
                "io.tributary.connect.file.FileSourceConnector", "io.tributary.connect.jdbc.JdbcSinkConnector");
        JsonNode source = find(plugins, SOURCE);
        assertThat(source.path("type").asText()).isEqualTo("source");
        assertThat(source.path("version").asText()).isEqualTo("4.3.1");
        assertThat(harness.rest().get("/connector-plugins?connectorsOnly=false").body().findValuesAsText("class"))
                .contains("org.apache.kafka.connect.json.JsonConverter", "org.apache.kafka.connect.transforms.InsertField$Value");

        Answer created = harness.rest().post("/connectors", Map.of("name", "kafka-file-in", "config", Map.of(
                "connector.class", "FileStreamSource", "file", input.toString(), "topic", "kafka-lines",
                "value.converter", "org.apache.kafka.connect.storage.StringConverter")));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().path("type").asText()).isEqualTo("source");
        assertThat(harness.rest().put("/connectors/kafka-file-out/config", Map.of(
                "connector.class", SINK, "file", output.toString(), "topics", "kafka-lines",
                "value.converter", "org.apache.kafka.connect.storage.StringConverter")).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> lines(output).size() == 20);

        assertThat(texts(harness.rest().get("/connectors").body())).containsExactly("kafka-file-in", "kafka-file-out");
        JsonNode expanded = harness.rest().get("/connectors?expand=status&expand=info").body();
        assertThat(expanded.path("kafka-file-out").path("status").path("connector").path("state").asText()).isEqualTo("RUNNING");
        assertThat(expanded.path("kafka-file-out").path("info").path("type").asText()).isEqualTo("sink");
        assertThat(harness.rest().get("/connectors/kafka-file-in/tasks").body().get(0).path("config").path("topic").asText())
                .isEqualTo("kafka-lines");
        assertThat(harness.rest().get("/connectors/kafka-file-in/tasks/0/status").body().path("state").asText()).isEqualTo("RUNNING");
        assertThat(harness.rest().get("/connectors/kafka-file-in/config").body().path("file").asText()).isEqualTo(input.toString());

        assertThat(harness.rest().put("/connectors/kafka-file-in/pause", Map.of()).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.rest().connectorState("kafka-file-in").equals("PAUSED")
                && harness.rest().taskState("kafka-file-in").equals("PAUSED"));
        appendLines(input, 20, 30);
        assertThat(harness.rest().put("/connectors/kafka-file-in/resume", Map.of()).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> lines(output).size() == 30);
        assertThat(harness.rest().connectorState("kafka-file-in")).isEqualTo("RUNNING");

        Answer restarted = harness.rest().post("/connectors/kafka-file-out/restart?includeTasks=true", Map.of());
        assertThat(restarted.status()).isEqualTo(202);
        assertThat(harness.rest().post("/connectors/kafka-file-out/tasks/0/restart", Map.of()).status()).isEqualTo(204);
        appendLines(input, 30, 40);
        await().atMost(Duration.ofSeconds(30)).until(() -> lines(output).size() == 40);
        assertThat(lines(output)).containsExactlyElementsOf(IntStream.range(0, 40).mapToObj(i -> "line-" + i).toList());

        assertThat(harness.rest().delete("/connectors/kafka-file-in").status()).isEqualTo(204);
        Answer gone = harness.rest().get("/connectors/kafka-file-in");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.body().path("error_code").asInt()).isEqualTo(404);
        assertThat(texts(harness.rest().get("/connectors").body())).containsExactly("kafka-file-out");
    }

    private static JsonNode find(JsonNode plugins, String className) {
        for (JsonNode plugin : plugins) {
            if (plugin.path("class").asText().equals(className)) {
                return plugin;
            }
        }
        throw new AssertionError(className + " not listed in " + plugins);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static void appendLines(Path file, int from, int to) throws IOException {
        StringBuilder text = new StringBuilder();
        IntStream.range(from, to).forEach(i -> text.append("line-").append(i).append('\n'));
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }
}
