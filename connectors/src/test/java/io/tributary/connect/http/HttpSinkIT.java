package io.tributary.connect.http;

import io.tributary.connect.testing.ConnectHarness;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The HTTP sink against a local Vert.x server that fails on purpose. */
class HttpSinkIT {

    @TempDir
    Path dir;
    private Vertx vertx;
    private HttpServer server;
    private ConnectHarness harness;
    /** Requests still to answer with 503. */
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final List<Object> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            requests.incrementAndGet();
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                request.response().setStatusCode(503).end("try later");
                return;
            }
            JsonArray batch = body.toJsonArray();
            batchSizes.add(batch.size());
            batch.forEach(received::add);
            request.response().setStatusCode(200).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        if (harness != null) {
            harness.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void recordsArePostedInBatchesAndFailedRequestsRetried() {
        harness = ConnectHarness.start(dir);
        failuresLeft.set(3);
        harness.append("events", IntStream.range(0, 45).mapToObj(i -> "{\"n\":" + i + "}").toList());
        assertThat(harness.rest().put("/connectors/poster/config", Map.of(
                "connector.class", "HttpSinkConnector", "topics", "events",
                "http.url", "http://127.0.0.1:" + server.actualPort() + "/ingest",
                "batch.size", "10", "max.retries", "5", "retry.backoff.ms", "50",
                "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter.schemas.enable", "false")).status()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 45);
        assertThat(received).extracting(o -> ((io.vertx.core.json.JsonObject) o).getInteger("n"))
                .containsExactlyElementsOf(IntStream.range(0, 45).boxed().toList());
        assertThat(batchSizes).allMatch(size -> size <= 10);
        assertThat(requests.get()).isEqualTo(batchSizes.size() + 3);
    }

    @Test
    void aTaskThatExhaustsItsRetriesFailsAndIsRestartedWithoutLosingRecords() {
        harness = ConnectHarness.start(dir);
        failuresLeft.set(Integer.MAX_VALUE);
        harness.append("alerts", IntStream.range(0, 5).mapToObj(i -> "\"a" + i + "\"").toList());
        assertThat(harness.rest().put("/connectors/alerts/config", Map.of(
                "connector.class", "HttpSinkConnector", "topics", "alerts",
                "http.url", "http://127.0.0.1:" + server.actualPort() + "/alerts",
                "max.retries", "1", "retry.backoff.ms", "10",
                "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter.schemas.enable", "false")).status()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(30)).until(() -> harness.rest().taskState("alerts").equals("FAILED"));
        assertThat(harness.rest().get("/connectors/alerts/status").body().path("tasks").get(0).path("trace").asText())
                .contains("HTTP 503");
        int before = requests.get();
        // The supervisor restarts the task on its own: more attempts arrive without anyone asking.
        await().atMost(Duration.ofSeconds(30)).until(() -> requests.get() >= before + 2);
        failuresLeft.set(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 5);
        assertThat(received).containsExactly("a0", "a1", "a2", "a3", "a4");
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.rest().taskState("alerts").equals("RUNNING"));
    }
}
