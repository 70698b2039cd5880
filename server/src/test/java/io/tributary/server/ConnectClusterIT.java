package io.tributary.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three broker JVMs, each running the connector runtime on its own REST port, form one cluster. Two file source
 * connectors created through one member's REST API run once in the cluster: every member's status API names the
 * same live worker for each task, and every line reaches its topic once. The member running one of the tasks is
 * killed with SIGKILL: the task resumes on another member from its stored offsets, so its topic ends with every
 * line exactly once. A config change and a pause made through a member that does not run the task take effect.
 * When the killed member returns, the task moves back to it, again without losing or repeating a line, and a
 * member stopped cleanly hands its task over the same way.
 */
class ConnectClusterIT {

    private static final int NODES = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private final List<ChildBroker> brokers = new ArrayList<>();
    /** The REST port of each member, by index in {@link #brokers}. */
    private final List<Integer> restPorts = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void killAll() throws InterruptedException {
        for (ChildBroker broker : brokers) {
            broker.kill();
        }
        ClusterLogs.keep(root, "ConnectClusterIT");
    }

    @Test
    void eachTaskRunsOnceAndMovesWithItsOffsetsWhenItsMemberDies() throws Exception {
        startCluster();
        Path fileA = root.resolve("a.txt");
        Path fileB = root.resolve("b.txt");
        appendLines(fileA, "a-", 0, 50);
        appendLines(fileB, "b-", 0, 50);
        try (Admin admin = ClusterTestSupport.admin(bootstrap())) {
            admin.createTopics(List.of(new NewTopic("lines-a", 1, (short) 3), new NewTopic("lines-b", 1, (short) 3),
                    new NewTopic("lines-b2", 1, (short) 3))).all().get(60, TimeUnit.SECONDS);

            assertThat(post(0, "/connectors", fileSource("file-a", fileA, "lines-a")).statusCode()).isEqualTo(201);
            assertThat(post(0, "/connectors", fileSource("file-b", fileB, "lines-b")).statusCode()).isEqualTo(201);

            String workerA = awaitAgreedWorker("file-a", Set.of(0, 1, 2));
            String workerB = awaitAgreedWorker("file-b", Set.of(0, 1, 2));
            assertThat(ClusterTestSupport.readPartition(bootstrap(), new TopicPartition("lines-a", 0), 49).values())
                    .containsExactlyElementsOf(lines("a-", 0, 50));
            assertThat(ClusterTestSupport.readPartition(bootstrap(), new TopicPartition("lines-b", 0), 49).values())
                    .containsExactlyElementsOf(lines("b-", 0, 50));

            // The member running file-a's task dies once the position of the 50 lines is stored.
            int victim = memberOf(workerA);
            Set<Integer> survivors = IntStream.range(0, NODES).filter(i -> i != victim).boxed().collect(Collectors.toSet());
            int witness = survivors.iterator().next();
            ClusterTestSupport.awaitTrue("file-a's offset covers the file", 30,
                    () -> storedPosition(witness, "file-a") == Files.size(fileA));
            brokers.get(victim).kill();
            appendLines(fileA, "a-", 50, 100);

            String movedA = awaitAgreedWorker("file-a", survivors);
            assertThat(movedA).isNotEqualTo(workerA);
            Map<Long, String> linesA = ClusterTestSupport.readPartition(bootstrap(), new TopicPartition("lines-a", 0), 99);
            assertThat(new TreeMap<>(linesA).values()).as("no line lost or repeated across the move")
                    .containsExactlyElementsOf(lines("a-", 0, 100));
            assertThat(endOffset(admin, "lines-a")).isEqualTo(100);

            // A config change through a member not running file-b's task: its new topic gets the next lines.
            String runningB = awaitAgreedWorker("file-b", survivors);
            int otherThanB = survivors.stream().filter(i -> !workerId(i).equals(runningB)).findFirst().orElseThrow();
            Map<String, String> changed = new HashMap<>(fileSource("file-b", fileB, "lines-b2"));
            changed.remove("name");
            assertThat(put(otherThanB, "/connectors/file-b/config", changed).statusCode()).isEqualTo(200);
            ClusterTestSupport.awaitTrue("every member sees the new topic", 30, () -> survivors.stream().allMatch(i ->
                    "lines-b2".equals(get(i, "/connectors/file-b/config").path("topic").asText())));
            awaitAgreedWorker("file-b", survivors);
            appendLines(fileB, "b-", 50, 60);
            assertThat(ClusterTestSupport.readPartition(bootstrap(), new TopicPartition("lines-b2", 0), 9).values())
                    .containsExactlyElementsOf(lines("b-", 50, 60));
            assertThat(endOffset(admin, "lines-b")).as("the old topic got nothing more").isEqualTo(50);
            assertThat(endOffset(admin, "lines-b2")).isEqualTo(10);

            // Pause and resume through a member not running file-a's task reach the one that does.
            String nowA = awaitAgreedWorker("file-a", survivors);
            int otherThanA = survivors.stream().filter(i -> !workerId(i).equals(nowA)).findFirst().orElseThrow();
            assertThat(put(otherThanA, "/connectors/file-a/pause", Map.of()).statusCode()).isEqualTo(202);
            ClusterTestSupport.awaitTrue("file-a's task paused", 30, () -> survivors.stream().allMatch(i ->
                    "PAUSED".equals(get(i, "/connectors/file-a/status").path("tasks").path(0).path("state").asText())));
            appendLines(fileA, "a-", 100, 110);
            Thread.sleep(1500); // a running task would publish these within this time
            assertThat(endOffset(admin, "lines-a")).as("a paused task reads nothing").isEqualTo(100);
            assertThat(put(otherThanA, "/connectors/file-a/resume", Map.of()).statusCode()).isEqualTo(202);
            assertThat(new TreeMap<>(ClusterTestSupport.readPartition(bootstrap(), new TopicPartition("lines-a", 0), 109))
                    .values()).containsExactlyElementsOf(lines("a-", 0, 110));
            // A task restart through a member not running it restarts the task where it runs.
            ChildBroker runningA = brokers.get(memberOf(nowA));
            long startsBefore = taskStarts(runningA, "file-a-0");
            assertThat(post(otherThanA, "/connectors/file-a/tasks/0/restart", Map.of()).statusCode()).isEqualTo(204);
            ClusterTestSupport.awaitTrue("file-a's task restarted on " + nowA, 30,
                    () -> taskStarts(runningA, "file-a-0") > startsBefore);
            assertThat(awaitAgreedWorker("file-a", survivors)).isEqualTo(nowA);

            // The killed member returns: with the same members the placement is the first one again, so file-a's
            // task moves back to it (its previous member hands it over) and still nothing is lost or repeated.
            brokers.get(victim).start();
            Set<Integer> all = Set.of(0, 1, 2);
            awaitWorker("file-a", all, workerA);
            awaitWorker("file-b", all, workerB);
            appendLines(fileA, "a-", 110, 120);
            appendLines(fileB, "b-", 60, 70);
            assertThat(new TreeMap<>(ClusterTestSupport.readPartition(bootstrap(), new TopicPartition("lines-a", 0), 119))
                    .values()).containsExactlyElementsOf(lines("a-", 0, 120));
            assertThat(new TreeMap<>(ClusterTestSupport.readPartition(bootstrap(), new TopicPartition("lines-b2", 0), 19))
                    .values()).containsExactlyElementsOf(lines("b-", 50, 70));
            assertThat(endOffset(admin, "lines-a")).isEqualTo(120);
            assertThat(endOffset(admin, "lines-b2")).isEqualTo(20);

            // A clean stop (SIGTERM) of the member running file-b's task hands the task over to another member.
            int stopping = memberOf(workerB);
            Set<Integer> remaining = all.stream().filter(i -> i != stopping).collect(Collectors.toSet());
            appendLines(fileB, "b-", 70, 80);
            brokers.get(stopping).stop();
            appendLines(fileB, "b-", 80, 90);
            assertThat(awaitAgreedWorker("file-b", remaining)).isNotEqualTo(workerB);
            assertThat(new TreeMap<>(ClusterTestSupport.readPartition(bootstrap(), new TopicPartition("lines-b2", 0), 39))
                    .values()).containsExactlyElementsOf(lines("b-", 50, 90));
            assertThat(endOffset(admin, "lines-b2")).isEqualTo(40);
        }
    }

    /** Waits until every member in {@code asked} reports the connector's task RUNNING on {@code worker}. */
    private void awaitWorker(String connector, Set<Integer> asked, String worker) throws Exception {
        ClusterTestSupport.awaitTrue(connector + " running on " + worker, 60,
                () -> worker.equals(awaitAgreedWorker(connector, asked)));
    }

    /**
     * Waits until every member in {@code asked} reports the connector and its one task RUNNING on the same live
     * worker; returns that worker id.
     */
    private String awaitAgreedWorker(String connector, Set<Integer> asked) throws Exception {
        String[] agreed = new String[1];
        ClusterTestSupport.awaitTrue(connector + " running on one live worker as every member sees it", 45, () -> {
            Set<String> workers = new HashSet<>();
            for (int i : asked) {
                JsonNode status = get(i, "/connectors/" + connector + "/status");
                if (!"RUNNING".equals(status.path("connector").path("state").asText())
                        || status.path("tasks").size() != 1
                        || !"RUNNING".equals(status.path("tasks").path(0).path("state").asText())) {
                    return false;
                }
                workers.add(status.path("tasks").path(0).path("worker_id").asText());
            }
            if (workers.size() != 1) {
                return false;
            }
            agreed[0] = workers.iterator().next();
            return asked.stream().map(this::workerId).anyMatch(agreed[0]::equals);
        });
        return agreed[0];
    }

    private void startCluster() throws Exception {
        List<Integer> clusterPorts = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            clusterPorts.add(ChildBroker.freePort());
        }
        String join = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        for (int i = 0; i < NODES; i++) {
            int restPort = ChildBroker.freePort();
            restPorts.add(restPort);
            Map<String, String> overrides = new HashMap<>();
            overrides.put("node.id", String.valueOf(i + 1));
            overrides.put("cluster.port", String.valueOf(clusterPorts.get(i)));
            overrides.put("cluster.join", join);
            overrides.put("cluster.failure.detection.ms", "4000");
            overrides.put("default.replication.factor", "3");
            overrides.put("connect.listeners", "HTTP://127.0.0.1:" + restPort);
            Path dir = root.resolve("node-" + (i + 1));
            Files.createDirectories(dir.resolve("logs"));
            brokers.add(new ChildBroker(dir.resolve("data"), dir.resolve("logs"), overrides)
                    .withFixedPort(ChildBroker.freePort()));
        }
        ClusterTestSupport.startInParallel(brokers);
    }

    /** How often the member's current process logged starting the task. */
    private static long taskStarts(ChildBroker member, String task) {
        return member.output().lines().filter(l -> l.contains("Task " + task + " runs on this worker")).count();
    }

    private String workerId(int member) {
        return "127.0.0.1:" + restPorts.get(member);
    }

    private List<String> workerIds() {
        return IntStream.range(0, NODES).mapToObj(this::workerId).toList();
    }

    private int memberOf(String workerId) {
        return workerIds().indexOf(workerId);
    }

    private String bootstrap() {
        return brokers.stream().filter(ChildBroker::isAlive).map(ChildBroker::bootstrap).collect(Collectors.joining(","));
    }

    private long storedPosition(int member, String connector) throws Exception {
        JsonNode offsets = get(member, "/connectors/" + connector + "/offsets").path("offsets");
        return offsets.size() == 1 ? offsets.get(0).path("offset").path("position").asLong() : -1;
    }

    private static long endOffset(Admin admin, String topic) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get(30, TimeUnit.SECONDS).offset();
    }

    private static Map<String, String> fileSource(String name, Path file, String topic) {
        return Map.of("name", name, "connector.class", "FileSourceConnector", "file", file.toString(),
                "topic", topic, "value.converter", "org.apache.kafka.connect.storage.StringConverter");
    }

    /** A GET answer's JSON; unchecked so checks in lambdas can use it (awaitTrue retries on any exception). */
    private JsonNode get(int member, String path) {
        try {
            return JSON.readTree(send(member, HttpRequest.newBuilder(uri(member, path)).GET()).body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> post(int member, String path, Map<String, ?> body) throws Exception {
        Object payload = path.equals("/connectors") ? Map.of("name", body.get("name"), "config", body) : body;
        return send(member, HttpRequest.newBuilder(uri(member, path))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(payload))));
    }

    private HttpResponse<String> put(int member, String path, Map<String, ?> body) throws Exception {
        return send(member, HttpRequest.newBuilder(uri(member, path))
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    private HttpResponse<String> send(int member, HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.header("Content-Type", "application/json").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(int member, String path) {
        return URI.create("http://127.0.0.1:" + restPorts.get(member) + path);
    }

    private static void appendLines(Path file, String prefix, int from, int to) throws IOException {
        StringBuilder text = new StringBuilder();
        IntStream.range(from, to).forEach(i -> text.append(prefix).append(i).append('\n'));
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static List<String> lines(String prefix, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> prefix + i).toList();
    }
}
