package io.tributary.gateway;

import io.tributary.core.testing.EmbeddedBroker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web console in a real browser: headless Chromium (Debian's package) driven by Playwright clicks through it
 * against a running broker whose topic, lagging consumer group and MQTT client were made with real clients, and
 * checks what each tab shows. The browser script is src/test/console/console.test.mjs.
 */
class ConsoleBrowserIT {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleBrowserIT.class);
    private static final Path NODE_PROJECT = Path.of("src/test/console");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(commandWorks("node", "--version"), "node is not installed: the console browser test is skipped");
        assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing (apt-get install chromium): the console"
                + " browser test is skipped");
        if (!Files.isDirectory(NODE_PROJECT.resolve("node_modules/playwright-core"))) {
            assumeTrue(commandWorks("npm", "--version"), "npm is not installed: the console browser test is skipped");
            Result ci = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(5));
            assertThat(ci.exitCode()).as("npm ci in %s:%n%s", NODE_PROJECT, ci.output()).isZero();
        }
        broker = EmbeddedBroker.start(dir, Map.of("mqtt.listeners", "MQTT://127.0.0.1:0",
                "http.listeners", "HTTP://127.0.0.1:0", "offsets.topic.num.partitions", "1",
                "group.initial.rebalance.delay.ms", "0"));
        gateway = Gateway.start(broker.broker().vertx(), broker.broker().services().config(), broker.broker().api())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void clickingThroughTheConsoleShowsMembersTopicsLagLiveRecordsAndMqttClients() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("orders", 2, (short) 1)
                    .configs(Map.of("retention.ms", "86400000")))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 9; i++) {
                producer.send(new ProducerRecord<>("orders", i < 6 ? 0 : 1, "order-" + i, "{\"n\":" + i + "}")).get();
            }
        }
        MqttClient device = new MqttClient("tcp://127.0.0.1:" + port("MQTT"), "sensor-7", new MemoryPersistence());
        device.connect(new MqttConnectOptions());
        device.subscribe("alerts/#", 1);
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of("orders"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (consumer.assignment().size() < 2 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100));
            }
            assertThat(consumer.assignment()).hasSize(2);
            consumer.commitSync(Map.of(new TopicPartition("orders", 0), new OffsetAndMetadata(2),
                    new TopicPartition("orders", 1), new OffsetAndMetadata(3)));

            JsonObject expected = new JsonObject()
                    .put("clusterId", broker.broker().clusterId())
                    .put("host", "127.0.0.1").put("kafkaPort", broker.port())
                    .put("topic", "orders").put("partitions", 2).put("retention", "1 d")
                    .put("endOffsets", new JsonArray().add(6).add(3))
                    .put("group", "billing").put("groupClientId", "billing-client")
                    .put("totalLag", 4).put("committed0", 2).put("lag0", 4)
                    .put("mqttClientId", "sensor-7").put("mqttSubscriptions", 1);
            String baseUrl = "http://127.0.0.1:" + port("HTTP");
            long started = System.nanoTime();
            Result script = run(List.of("node", "console.test.mjs", baseUrl, expected.encode()), SCRIPT_TIMEOUT);
            LOG.info("Console browser script took {} ms:\n{}",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), script.output());
            assertThat(script.exitCode()).as("console.test.mjs failed:%n%s", script.output()).isZero();
            assertThat(script.output()).contains("[console-test] PASSED");
        } finally {
            device.disconnect();
            device.close();
        }
    }

    private record Result(int exitCode, String output) {
    }

    /** Runs a command in the Node project with a deadline; stdout and stderr together. */
    private static Result run(List<String> command, Duration timeout) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(NODE_PROJECT.toFile()).redirectErrorStream(true);
        builder.environment().put("CHROMIUM", CHROMIUM.toString());
        builder.environment().put("SCREENSHOT_DIR", Path.of("target").toAbsolutePath().toString());
        Process process = builder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(process.getInputStream(), output), "console-test-output");
        reader.start();
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        String text;
        synchronized (output) {
            text = output.toString(StandardCharsets.UTF_8);
        }
        return finished ? new Result(process.exitValue(), text)
                : new Result(-1, "Timed out after " + timeout + ": " + String.join(" ", command) + "\n" + text);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    private int port(String name) {
        return gateway.boundListeners().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow().port();
    }

    private KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "billing");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "billing-client");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }
}
