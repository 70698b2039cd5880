package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broker whose log dir is a 2 MiB tmpfs the test mounts (root only; elsewhere it is skipped and says why): when
 * the disk fills, produce answers KAFKA_STORAGE_ERROR, every acknowledged record can still be read, and producing
 * works again as soon as space is freed.
 */
class DiskFullIT {

    private static final Logger LOG = LoggerFactory.getLogger(DiskFullIT.class);

    @TempDir
    Path tmp;
    Path mount;
    boolean mounted;
    EmbeddedBroker broker;

    @BeforeEach
    void mountTmpfs() throws Exception {
        mount = tmp.resolve("tmpfs");
        Files.createDirectories(mount);
        String reason = tryMount();
        if (reason != null) {
            LOG.warn("Skipping DiskFullIT: {}", reason);
        }
        Assumptions.assumeTrue(reason == null, reason);
        mounted = true;
    }

    private String tryMount() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not running as root, so no tmpfs can be mounted";
        }
        try {
            int code = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString());
            return code == 0 ? null : "mount -t tmpfs exited with " + code;
        } catch (Exception e) {
            return "mount -t tmpfs failed: " + e;
        }
    }

    @AfterEach
    void unmount() throws Exception {
        try {
            if (broker != null) {
                broker.stop();
            }
        } finally {
            if (mounted) {
                run("umount", "-l", mount.toString());
            }
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    @Test
    void aFullDiskAnswersStorageErrorKeepsServingReadsAndRecovers() throws Exception {
        broker = LogItSupport.start(mount.resolve("data"), Map.of("offsets.topic.num.partitions", "1"));
        String topic = "full";
        ItClients.createTopic(broker.bootstrapServers(), topic, 1);
        Path ballast = mount.resolve("ballast");
        Files.write(ballast, new byte[640 * 1024]);

        String big = "x".repeat(20_000);
        List<String> acked = new ArrayList<>();
        Throwable failure = null;
        try (KafkaProducer<String, String> producer = ItClients.producer(broker.bootstrapServers(), Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.RETRIES_CONFIG, 0,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.LINGER_MS_CONFIG, 0))) {
            for (int i = 0; i < 200 && failure == null; i++) {
                String value = i + "-" + big;
                try {
                    producer.send(new ProducerRecord<>(topic, 0, "k" + i, value)).get(30, TimeUnit.SECONDS);
                    acked.add(value);
                } catch (ExecutionException e) {
                    failure = e.getCause();
                }
            }
            assertThat(failure).as("the disk filled up").isInstanceOf(KafkaStorageException.class);
            assertThat(acked).isNotEmpty();

            // Reads keep working: every acknowledged record, and nothing of the failed one.
            List<ConsumerRecord<String, String>> read = ItClients.readToEnd(broker.bootstrapServers(), topic, 1);
            assertThat(read).extracting(ConsumerRecord::value).containsExactlyElementsOf(acked);

            // Free space: producing works again, at the next offset.
            Files.delete(ballast);
            long offset = producer.send(new ProducerRecord<>(topic, 0, "again", "after the disk was freed"))
                    .get(30, TimeUnit.SECONDS).offset();
            assertThat(offset).isEqualTo(acked.size());
        }
        List<ConsumerRecord<String, String>> all = ItClients.readToEnd(broker.bootstrapServers(), topic, 1);
        assertThat(all).hasSize(acked.size() + 1);
        assertThat(all.get(acked.size()).value()).isEqualTo("after the disk was freed");
    }
}
