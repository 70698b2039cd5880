package io.tributary.gateway.mqtt;

import io.tributary.gateway.testing.MqttTestSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** End to end with Mosquitto's command-line clients (Debian package mosquitto-clients) and Kafka's Java clients. */
class MqttCommandLineIT {

    @TempDir
    static Path dir;
    static MqttTestSupport gateway;

    @BeforeAll
    static void start() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mosquitto_pub")) && Files.isExecutable(Path.of("/usr/bin/mosquitto_sub")),
                "mosquitto-clients is not installed");
        gateway = MqttTestSupport.start(dir.resolve("data"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void mosquittoPubIsReadByAKafkaConsumer() throws Exception {
        run("mosquitto_pub", "-p", port(), "-q", "1", "-t", "cli/device7/temp", "-m", "23.1", "-V", "mqttv311");
        run("mosquitto_pub", "-p", port(), "-q", "2", "-t", "cli/device7/temp", "-m", "23.4", "-V", "mqttv5",
                "-D", "publish", "user-property", "site", "north");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, gateway.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "cli-readers",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("cli"));
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                return got.size() == 2;
            });
            assertThat(got).extracting(ConsumerRecord::key).containsOnly("cli/device7/temp");
            assertThat(got).extracting(ConsumerRecord::value).containsExactly("23.1", "23.4");
            assertThat(new String(got.get(1).headers().lastHeader("site").value(), StandardCharsets.UTF_8)).isEqualTo("north");
        }
    }

    @Test
    void kafkaProducerRecordReachesMosquittoSub() throws Exception {
        gateway.await(() -> gateway.api().topics().create("alerts", 1, Map.of()));
        Process sub = start("mosquitto_sub", "-p", port(), "-q", "1", "-t", "alerts/#", "-C", "1", "-v", "-i", "cli-sub");
        // mosquitto_sub has subscribed once its session shows up in the gateway; then produce.
        await().atMost(Duration.ofSeconds(10)).until(() -> sessionSubscribed("cli-sub"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, gateway.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("alerts", "boiler", "overheat")).get();
        }
        assertThat(sub.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(output(sub)).isEqualTo("alerts/boiler overheat");
    }

    @Test
    void retainedAndWillMessagesWithMosquittoClients() throws Exception {
        run("mosquitto_pub", "-p", port(), "-q", "1", "-r", "-t", "clistate/boiler", "-m", "on");
        Process retained = start("mosquitto_sub", "-p", port(), "-t", "clistate/#", "-C", "1", "-v");
        assertThat(retained.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(output(retained)).isEqualTo("clistate/boiler on");

        Process watcher = start("mosquitto_sub", "-p", port(), "-q", "1", "-t", "cliwill/#", "-C", "1", "-v", "-i", "cli-watch");
        await().atMost(Duration.ofSeconds(10)).until(() -> sessionSubscribed("cli-watch"));
        // A subscriber with a will, killed: its connection drops without DISCONNECT.
        Process doomed = start("mosquitto_sub", "-p", port(), "-t", "nothing", "-i", "cli-doomed",
                "--will-topic", "cliwill/doomed", "--will-payload", "lost", "--will-qos", "1");
        await().atMost(Duration.ofSeconds(10)).until(() -> sessionSubscribed("cli-doomed"));
        doomed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(watcher.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(output(watcher)).isEqualTo("cliwill/doomed lost");
    }

    @Test
    void persistentSessionAcrossABrokerRestart() throws Exception {
        // -c: clean session off; -C 0 would wait forever, so subscribe, then exit after the SUBACK (-E).
        run("mosquitto_sub", "-p", port(), "-q", "1", "-c", "-i", "cli-persist", "-t", "cliorders/#", "-E");
        run("mosquitto_pub", "-p", port(), "-q", "1", "-t", "cliorders/1", "-m", "while offline");
        gateway.restart();
        run("mosquitto_pub", "-p", port(), "-q", "1", "-t", "cliorders/2", "-m", "after restart");
        Process back = start("mosquitto_sub", "-p", port(), "-q", "1", "-c", "-i", "cli-persist", "-t", "cliorders/#",
                "-C", "2", "-v");
        assertThat(back.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(output(back)).isEqualTo("cliorders/1 while offline\ncliorders/2 after restart");
    }

    private static boolean sessionSubscribed(String clientId) {
        var sessions = gateway.mqttGateway().sessionsView();
        return sessions.containsKey(clientId) && !sessions.get(clientId).isEmpty();
    }

    private static String port() {
        return Integer.toString(gateway.mqttPort());
    }

    private static void run(String... command) throws Exception {
        Process p = start(command);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + output(p)).isZero();
    }

    private static Process start(String... command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String output(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }
}
