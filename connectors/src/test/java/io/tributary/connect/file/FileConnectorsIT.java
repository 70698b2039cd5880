package io.tributary.connect.file;

import io.tributary.connect.testing.ConnectHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The built-in file source and sink, end to end through a topic, across a restart of broker and runtime. */
class FileConnectorsIT {

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
    void linesFlowFromFileToTopicToFileAndARestartNeitherRepeatsNorSkips() throws Exception {
        Path input = dir.resolve("input.txt");
        Path output = dir.resolve("output.txt");
        appendLines(input, 0, 100);
        harness = ConnectHarness.start(dir.resolve("data"));

        assertThat(harness.rest().post("/connectors", Map.of("name", "lines-in", "config", Map.of(
                "connector.class", "FileSourceConnector", "file", input.toString(), "topic", "lines",
                "value.converter", "org.apache.kafka.connect.storage.StringConverter"))).status()).isEqualTo(201);
        assertThat(harness.rest().post("/connectors", Map.of("name", "lines-out", "config", Map.of(
                "connector.class", "io.tributary.connect.file.FileSinkConnector", "file", output.toString(),
                "topics", "lines", "value.converter", "org.apache.kafka.connect.storage.StringConverter"))).status())
                .isEqualTo(201);

        await().atMost(Duration.ofSeconds(30)).until(() -> lines(output).size() == 100);
        assertThat(harness.rest().connectorState("lines-in")).isEqualTo("RUNNING");
        assertThat(harness.rest().taskState("lines-out")).isEqualTo("RUNNING");
        // The runtime's meters are scraped with the broker's.
        await().atMost(Duration.ofSeconds(10)).until(() -> scraped(
                "tributary_connect_source_records_total\\{[^}]*connector=\"lines-in\"[^}]*} 100(\\.0)?",
                "tributary_connect_sink_records_total\\{[^}]*connector=\"lines-out\"[^}]*} 100(\\.0)?",
                "tributary_connect_tasks\\{[^}]*state=\"RUNNING\"[^}]*} 2(\\.0)?"));

        harness.restart();
        // A half-written last line is not a line yet: it must be published once, when completed.
        appendLines(input, 100, 150);
        Files.writeString(input, "line-1", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        await().atMost(Duration.ofSeconds(30)).until(() -> lines(output).size() == 150);
        Files.writeString(input, "50\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        await().atMost(Duration.ofSeconds(30)).until(() -> lines(output).size() == 151);

        List<String> expected = IntStream.range(0, 151).mapToObj(i -> "line-" + i).toList();
        assertThat(lines(output)).containsExactlyElementsOf(expected);
        assertThat(harness.readValues("lines")).containsExactlyElementsOf(expected);
        assertThat(harness.rest().connectorState("lines-in")).isEqualTo("RUNNING");
        assertThat(harness.rest().get("/connectors/lines-in/offsets").body().path("offsets").get(0)
                .path("offset").path("position").asLong()).isEqualTo(Files.size(input));

        // Offsets can only be reset while stopped; afterwards the file is read again from the start.
        assertThat(harness.rest().delete("/connectors/lines-in/offsets").status()).isEqualTo(400);
        assertThat(harness.rest().put("/connectors/lines-in/stop", java.util.Map.of()).status()).isEqualTo(204);
        assertThat(harness.rest().connectorState("lines-in")).isEqualTo("STOPPED");
        assertThat(harness.rest().delete("/connectors/lines-in/offsets").status()).isEqualTo(200);
        assertThat(harness.rest().get("/connectors/lines-in/offsets").body().path("offsets")).isEmpty();
        assertThat(harness.rest().put("/connectors/lines-in/resume", java.util.Map.of()).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> harness.readValues("lines").size() == 302);
    }

    private boolean scraped(String... lines) {
        String scrape = harness.api().metrics().scrape();
        return java.util.Arrays.stream(lines).allMatch(line -> java.util.regex.Pattern.compile("(?m)^" + line + "$")
                .matcher(scrape).find());
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
