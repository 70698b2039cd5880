package io.tributary.gateway.mqtt;

import io.tributary.gateway.testing.MqttTestSupport;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue point 3: $share/{group}/{filter} members split the messages like a consumer group. */
class MqttSharedSubscriptionIT {

    @TempDir
    static Path dir;
    static MqttTestSupport gateway;

    @BeforeAll
    static void start() {
        gateway = MqttTestSupport.start(dir, Map.of("group.consumer.heartbeat.interval.ms", "200"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void membersOfAShareGroupSplitTheMessagesAndLoseNone() throws Exception {
        gateway.await(() -> gateway.api().topics().create("jobs", 4, Map.of()));
        Received a = new Received();
        Received b = new Received();
        V5Client workerA = Clients.v5(gateway, "worker-a", a);
        V5Client workerB = Clients.v5(gateway, "worker-b", b);
        workerA.subscribe("$share/workers/jobs/#", 1);
        workerB.subscribe("$share/workers/jobs/#", 1);

        MqttClient pub = Clients.v3(gateway, "jobs-pub");
        Set<String> published = new HashSet<>();
        int[] next = {0};
        // Keep publishing until the group has balanced the partitions over both members.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (int i = 0; i < 8; i++) {
                String job = "job-" + next[0]++;
                pub.publish("jobs/" + job, job.getBytes(StandardCharsets.UTF_8), 1, false);
                published.add(job);
            }
            return !a.messages.isEmpty() && !b.messages.isEmpty();
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> union(a, b).containsAll(published));
        assertThat(union(a, b)).isEqualTo(published);
        Clients.closeQuietly(workerA, workerB, pub);
    }

    private static Set<String> union(Received a, Received b) {
        Set<String> all = new HashSet<>(a.payloads());
        all.addAll(b.payloads());
        return all;
    }

    @Test
    void aShareGroupAndAPlainSubscriptionBothGetEveryMessage() throws Exception {
        Received plain = new Received();
        Received shared = new Received();
        V5Client plainClient = Clients.v5(gateway, "plain", plain);
        V5Client sharedClient = Clients.v5(gateway, "shared-one", shared);
        plainClient.subscribe("tasks/#", 1);
        sharedClient.subscribe("$share/solo/tasks/#", 1);
        MqttClient pub = Clients.v3(gateway, "tasks-pub");
        int[] pings = {0};
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
            pub.publish("tasks/t", ("ping-" + pings[0]++).getBytes(StandardCharsets.UTF_8), 1, false);
            return !shared.messages.isEmpty();
        });
        pub.publish("tasks/t", "final".getBytes(StandardCharsets.UTF_8), 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> shared.payloads().contains("final")
                && plain.payloads().contains("final"));
        assertThat(plain.payloads()).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(shared.messages.size());
        Clients.closeQuietly(plainClient, sharedClient, pub);
    }
}
