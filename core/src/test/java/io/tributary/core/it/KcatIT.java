package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * librdkafka through kcat, when kcat is installed (CI installs it): metadata, produce with keys and
 * snappy, consume from the beginning, and records crossing between kcat and the Java clients.
 */
class KcatIT {

    private static final Logger LOG = LoggerFactory.getLogger(KcatIT.class);
    private static final long PROCESS_TIMEOUT_S = 60;

    @TempDir
    static Path dataDir;

    @TempDir
    static Path work;

    private static EmbeddedBroker broker;
    private static String kcat;

    @BeforeAll
    static void setUp() {
        kcat = findOnPath("kcat");
        if (kcat == null) {
            LOG.warn("kcat is not on PATH: skipping the kcat interoperability tests");
        }
        Assumptions.assumeTrue(kcat != null, "kcat is not on PATH (install it, e.g. apt-get install kcat)");
        broker = EmbeddedBroker.start(dataDir);
    }

    @AfterAll
    static void tearDown() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void metadataListsTheBrokerAndTopics() throws Exception {
        ItClients.createTopic(broker.bootstrapServers(), "kcat-listed", 3);
        Result r = kcat(null, "-L", "-b", broker.bootstrapServers(), "-m", "20");
        assertThat(r.exit).as("kcat -L exit code; stderr: %s", r.stderr).isZero();
        assertThat(r.stdout).contains("1 brokers:");
        assertThat(r.stdout).contains("broker 0 at " + broker.bootstrapServers());
        assertThat(r.stdout).contains("topic \"kcat-listed\" with 3 partitions:");
        assertThat(r.stdout).contains("partition 0, leader 0");
        assertThat(r.stdout).contains("partition 2, leader 0");
    }

    @Test
    void kcatProducesKeyedSnappyLinesAndConsumesThemBack() throws Exception {
        String topic = "kcat-roundtrip";
        ItClients.createTopic(broker.bootstrapServers(), topic, 1);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            lines.add("key" + i + ":value-" + i + "-" + "z".repeat(i));
        }
        Result produced = kcat(String.join("\n", lines) + "\n", "-P", "-b", broker.bootstrapServers(), "-t", topic,
                "-p", "0", "-K:", "-z", "snappy", "-X", "message.timeout.ms=30000");
        assertThat(produced.exit).as("kcat -P exit code; stderr: %s", produced.stderr).isZero();

        Result consumed = kcat(null, "-C", "-b", broker.bootstrapServers(), "-t", topic, "-o", "beginning", "-e",
                "-f", "%p|%o|%k|%s\\n", "-m", "20");
        assertThat(consumed.exit).as("kcat -C exit code; stderr: %s", consumed.stderr).isZero();
        List<String> out = consumed.stdout.lines().toList();
        assertThat(out).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(out.get(i)).isEqualTo("0|" + i + "|key" + i + "|value-" + i + "-" + "z".repeat(i));
        }

        // The Java consumer reads what kcat (librdkafka, snappy) wrote.
        List<ConsumerRecord<String, String>> java = ItClients.readToEnd(broker.bootstrapServers(), topic, 1);
        assertThat(java).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(java.get(i).offset()).isEqualTo(i);
            assertThat(java.get(i).key()).isEqualTo("key" + i);
            assertThat(java.get(i).value()).isEqualTo("value-" + i + "-" + "z".repeat(i));
        }
    }

    @Test
    void kcatReadsWhatTheJavaProducerWrote() throws Exception {
        String topic = "kcat-from-java";
        ItClients.createTopic(broker.bootstrapServers(), topic, 2);
        try (KafkaProducer<String, String> producer = ItClients.producer(broker.bootstrapServers(),
                java.util.Map.of("compression.type", "zstd"))) {
            for (int i = 0; i < 40; i++) {
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, i % 2, "jk" + i, "jv" + i);
                record.headers().add("origin", "java".getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
            producer.flush();
        }
        Result consumed = kcat(null, "-C", "-b", broker.bootstrapServers(), "-t", topic, "-o", "beginning", "-e",
                "-f", "%p|%o|%k|%s|%h\\n", "-m", "20");
        assertThat(consumed.exit).as("kcat -C exit code; stderr: %s", consumed.stderr).isZero();
        List<String> out = consumed.stdout.lines().toList();
        assertThat(out).hasSize(40);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add((i % 2) + "|" + (i / 2) + "|jk" + i + "|jv" + i + "|origin=java");
        }
        assertThat(out).containsExactlyInAnyOrderElementsOf(expected);
        // Within each partition, kcat prints in offset order.
        for (int p = 0; p < 2; p++) {
            String prefix = p + "|";
            List<String> partition = out.stream().filter(l -> l.startsWith(prefix)).toList();
            List<String> wanted = expected.stream().filter(l -> l.startsWith(prefix)).toList();
            assertThat(partition).containsExactlyElementsOf(wanted);
        }
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private static Result kcat(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(kcat);
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "kcat", ".out");
        Path err = Files.createTempFile(work, "kcat", ".err");
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process process = pb.start();
        try {
            if (stdin != null) {
                try (var in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            boolean finished = process.waitFor(PROCESS_TIMEOUT_S, TimeUnit.SECONDS);
            String stdout = Files.readString(out);
            String stderr = Files.readString(err);
            assertThat(finished).as("kcat %s finished within %d s; stdout: %s; stderr: %s", String.join(" ", args),
                    PROCESS_TIMEOUT_S, stdout, stderr).isTrue();
            return new Result(process.exitValue(), stdout, stderr);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
