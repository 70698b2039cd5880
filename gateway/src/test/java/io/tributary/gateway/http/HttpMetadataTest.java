package io.tributary.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Topic metadata, topic creation, health, and the hand-off of MQTT WebSocket upgrades. */
class HttpMetadataTest {

    @TempDir
    static Path dataDir;
    static HttpTestBroker gw;

    @BeforeAll
    static void start() {
        // Stands in for the MQTT gateway: greets each WebSocket with the subprotocol it was accepted with.
        Handler<ServerWebSocket> mqtt = ws -> ws.writeTextMessage("mqtt-handler:" + ws.subProtocol());
        gw = HttpTestBroker.start(dataDir, Map.of("http.cors.allowed.origins", "https://dash.example"), mqtt);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void topicsPartitionsAndOffsetsDescribeTheLog() {
        HttpTestBroker.Reply created = gw.postJson("/admin/topics", new JsonObject().put("topic_name", "meta")
                .put("partitions_count", 3).put("replication_factor", 1).put("configs", new JsonObject().put("retention.ms", "60000")));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().getJsonArray("partitions")).hasSize(3);

        JsonArray topics = gw.get("/topics").array();
        assertThat(topics).contains("meta");
        assertThat(topics.stream().map(String::valueOf)).noneMatch(t -> t.startsWith("__"));

        JsonObject topic = gw.get("/topics/meta").json();
        assertThat(topic.getString("name")).isEqualTo("meta");
        assertThat(topic.getJsonObject("configs").getString("retention.ms")).isEqualTo("60000");
        assertThat(gw.get("/topics/meta/partitions").array()).hasSize(3);
        JsonObject partition = gw.get("/topics/meta/partitions/2").json();
        assertThat(partition.getInteger("partition")).isEqualTo(2);
        assertThat(partition.getJsonArray("replicas").getJsonObject(0).getBoolean("leader")).isTrue();

        gw.post("/topics/meta/partitions/1", "application/vnd.kafka.text.v2+json",
                "{\"records\":[{\"value\":\"a\"},{\"value\":\"b\"}]}");
        JsonObject offsets = gw.get("/topics/meta/partitions/1/offsets").json();
        assertThat(offsets.getLong("beginning_offset")).isZero();
        assertThat(offsets.getLong("end_offset")).isEqualTo(2);
    }

    @Test
    void prometheusMetricsIncludeTheGatewaysOwnHttpTrafficAndPartitions() {
        gw.post("/topics/scraped", "application/vnd.kafka.text.v2+json", "{\"records\":[{\"value\":\"a\"}]}");
        HttpTestBroker.Reply metrics = gw.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("tributary_partition_records_in_total{node=\"0\",partition=\"0\",topic=\"scraped\"} 1.0")
                .contains("vertx_http_server_requests_total")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void healthAndTheOpenApiDocumentAreServed() {
        assertThat(gw.get("/health/live").status()).isEqualTo(200);
        HttpTestBroker.Reply ready = gw.get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().getString("status")).isEqualTo("UP");
        HttpTestBroker.Reply doc = gw.get("/openapi.json");
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json().getString("openapi")).isEqualTo("3.1.0");
    }

    @Test
    void pagesFromAnAllowedOriginMayCallTheApi() {
        HttpTestBroker.Reply allowed = gw.send("GET", "/topics", null, null, Map.of("Origin", "https://dash.example"));
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.headers().get("access-control-allow-origin")).isEqualTo("https://dash.example");
        HttpTestBroker.Reply preflight = gw.send("OPTIONS", "/topics/meta", null, null, Map.of(
                "Origin", "https://dash.example", "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "content-type"));
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.headers().get("access-control-allow-methods")).contains("POST");
        HttpTestBroker.Reply other = gw.send("GET", "/topics", null, null, Map.of("Origin", "https://evil.example"));
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.json().getInteger("error_code")).isEqualTo(403);
        assertThat(other.headers().get("access-control-allow-origin")).isNull();
    }

    @Test
    void mqttWebSocketUpgradesGoToTheMqttHandler() throws Exception {
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket ws = gw.http.newWebSocketBuilder().subprotocols("mqtt")
                .buildAsync(URI.create("ws://127.0.0.1:" + gw.port + "/mqtt"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        messages.add(data.toString());
                        socket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        assertThat(ws.getSubprotocol()).isEqualTo("mqtt");
        assertThat(messages.poll(10, TimeUnit.SECONDS)).isEqualTo("mqtt-handler:mqtt");
        ws.abort();
        // A plain request (no upgrade, no subprotocol) is a client error.
        HttpTestBroker.Reply plain = gw.get("/mqtt");
        assertThat(plain.status()).isEqualTo(400);
        assertThat(plain.json().getInteger("error_code")).isEqualTo(400);
    }
}
