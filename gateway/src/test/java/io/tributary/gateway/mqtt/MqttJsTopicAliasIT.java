package io.tributary.gateway.mqtt;

import io.tributary.gateway.testing.MqttTestSupport;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Outbound topic aliases with a client that resolves them: MQTT.js (npm package {@code mqtt}, pinned in
 * src/test/mqttjs/package-lock.json), driven by src/test/mqttjs/aliases.test.mjs. Eclipse Paho Java 1.2.5 and
 * libmosquitto 2.0.11 cannot be used here: Paho hands an alias-only PUBLISH to the application with an empty topic,
 * and libmosquitto refuses it as a protocol error.
 */
class MqttJsTopicAliasIT {

    private static final Path NODE_PROJECT = Path.of("src/test/mqttjs");

    @TempDir
    static Path dir;
    static MqttTestSupport gateway;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(commandWorks("node", "--version"), "node is not installed: the MQTT.js test is skipped");
        if (!Files.isDirectory(NODE_PROJECT.resolve("node_modules/mqtt"))) {
            assumeTrue(commandWorks("npm", "--version"), "npm is not installed: the MQTT.js test is skipped");
            Process ci = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(NODE_PROJECT.toFile())
                    .redirectErrorStream(true).start();
            String output = new String(ci.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(ci.waitFor(5, TimeUnit.MINUTES) && ci.exitValue() == 0).as("npm ci:%n%s", output).isTrue();
        }
        gateway = MqttTestSupport.start(dir);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void everyMessageArrivesUnderItsFullTopicWhileAliasesAreSetUsedAndReassigned() throws Exception {
        int rounds = 4;
        int topics = 5; // for three aliases: some are reassigned
        Process node = new ProcessBuilder("node", "aliases.test.mjs", Integer.toString(gateway.mqttPort()), "jsalias/#",
                Integer.toString(rounds * topics), "3").directory(NODE_PROJECT.toFile()).redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("error reading: " + e);
            }
        });
        try {
            await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> lines.contains("subscribed") || !node.isAlive());
            assertThat(lines).as("MQTT.js output").contains("subscribed");
            List<String> expected = new ArrayList<>();
            MqttClient pub = Clients.v3(gateway, "jsalias-pub");
            for (int round = 0; round < rounds; round++) {
                for (int t = 0; t < topics; t++) {
                    String topic = "jsalias/room/" + t;
                    pub.publish(topic, ("m" + round).getBytes(StandardCharsets.UTF_8), 1, false);
                    expected.add("message " + topic + " m" + round);
                }
            }
            Clients.closeQuietly(pub);
            assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("MQTT.js finished: %s", lines).isTrue();
            reader.get(10, TimeUnit.SECONDS);
            assertThat(node.exitValue()).as("MQTT.js exit: %s", lines).isZero();
            assertThat(lines.stream().filter(l -> l.startsWith("message ")).toList()).containsExactlyElementsOf(expected);
            // A topic's second send sets an alias: round 1 sets five (rooms 3 and 4 take the aliases of 0 and 1), round
            // 2 sends rooms 2-4 by alias alone, round 3 sets aliases for rooms 0 and 1 again and sends room 4 alone.
            assertThat(lines.get(lines.size() - 1)).isEqualTo("aliases 7 set, 4 used alone");
        } finally {
            node.destroy();
        }
    }

    private static boolean commandWorks(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
