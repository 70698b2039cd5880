package io.tributary.connect.runtime;

import io.tributary.connect.testing.ConnectHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Connectors declared in connect.config.file, JSON or properties, are created at start-up. */
class ConfigFileIT {

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
    void aJsonFileDeclaresSeveralConnectorsThatSurviveARestartUnchanged() throws Exception {
        Path input = dir.resolve("declared.txt");
        Files.writeString(input, "one\ntwo\n", StandardCharsets.UTF_8);
        Path file = dir.resolve("connectors.json");
        Files.writeString(file, """
                {"connectors": [
                  {"name": "declared-in", "config": {"connector.class": "FileSourceConnector",
                     "file": "%s", "topic": "declared",
                     "value.converter": "org.apache.kafka.connect.storage.StringConverter"}},
                  {"name": "declared-out", "config": {"connector.class": "FileSinkConnector",
                     "file": "%s", "topics": "declared",
                     "value.converter": "org.apache.kafka.connect.storage.StringConverter"}}
                ]}
                """.formatted(input, dir.resolve("copy.txt")), StandardCharsets.UTF_8);
        harness = ConnectHarness.start(dir.resolve("data"), Map.of("connect.config.file", file.toString()));

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("copy.txt"))
                && Files.readAllLines(dir.resolve("copy.txt")).size() == 2);
        assertThat(harness.rest().get("/connectors").body().toString()).isEqualTo("[\"declared-in\",\"declared-out\"]");
        harness.restart();
        assertThat(harness.rest().connectorState("declared-in")).isEqualTo("RUNNING");
        assertThat(harness.readValues("declared")).containsExactly("one", "two");
    }

    @Test
    void aPropertiesFileDeclaresOneConnector() throws Exception {
        Path file = dir.resolve("sink.properties");
        Files.writeString(file, """
                name=props-sink
                connector.class=io.tributary.connect.file.FileSinkConnector
                topics=props
                file=%s
                value.converter=org.apache.kafka.connect.storage.StringConverter
                """.formatted(dir.resolve("props.txt")), StandardCharsets.UTF_8);
        harness = ConnectHarness.start(dir.resolve("data"), Map.of("connect.config.file", file.toString()));
        harness.append("props", java.util.List.of("x", "y"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("props.txt"))
                && Files.readAllLines(dir.resolve("props.txt")).size() == 2);
        assertThat(harness.rest().get("/connectors/props-sink/config").body().path("topics").asText()).isEqualTo("props");
    }
}
