package io.tributary.gateway.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every client mistake gets the REST Proxy's error shape and a 4xx status, never a 500. */
class HttpErrorsTest {

    private static final String TEXT = "application/vnd.kafka.text.v2+json";
    private static final String BINARY = "application/vnd.kafka.binary.v2+json";
    private static final String JSON = "application/vnd.kafka.json.v2+json";

    @TempDir
    static Path dataDir;
    static HttpTestBroker gw;

    @BeforeAll
    static void start() {
        gw = HttpTestBroker.start(dataDir, Map.of("auto.create.topics.enable", "false", "http.max.request.bytes", "2048"),
                null);
        gw.createTopic("known", 2);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private static void assertError(HttpTestBroker.Reply reply, int status, int errorCode) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).isEqualTo(MediaTypes.KAFKA_V2);
        JsonObject error = reply.json();
        assertThat(error.getInteger("error_code")).as(reply.body()).isEqualTo(errorCode);
        assertThat(error.getString("message")).isNotBlank();
    }

    private static String records(Object value) {
        return new JsonObject().put("records", new JsonArray().add(new JsonObject().put("value", value))).encode();
    }

    @Test
    void malformedJsonIs422() {
        assertError(gw.post("/topics/known", JSON, "{\"records\": [ {\"value\": "), 422, 42205);
        assertError(gw.post("/topics/known", "application/json", "{not json"), 422, 42205);
        assertError(gw.post("/consumers/g2", MediaTypes.KAFKA_V2, "[1,"), 422, 42205);
    }

    @Test
    void bodiesOfTheWrongShapeAre422() {
        assertError(gw.post("/topics/known", BINARY, records("not*base64!")), 422, 42205);
        assertError(gw.post("/topics/known", TEXT, records(42)), 422, 42205);
        assertError(gw.post("/topics/known", TEXT, "{\"records\": []}"), 422, 42205);
        assertError(gw.post("/topics/known", TEXT, "{\"records\": \"x\"}"), 422, 42205);
        assertError(gw.post("/topics/known", TEXT, "[]"), 422, 42205);
        assertError(gw.post("/topics/known", TEXT,
                new JsonObject().put("records", new JsonArray().add(new JsonObject().put("value", "v").put("partition", -3))).encode()),
                422, 42202);
    }

    @Test
    void unsupportedMediaTypesAre415() {
        assertError(gw.post("/topics/known", "text/plain", "hello"), 415, 415);
        assertError(gw.post("/topics/known", null, records("v")), 415, 415);
        assertError(gw.post("/topics/known", "application/vnd.kafka.avro.v2+json", records("v")), 415, 415);
        assertError(gw.post("/consumers/g", "text/plain", "{}"), 415, 415);
    }

    @Test
    void unknownTopicsPartitionsAndInstancesAre404() {
        assertError(gw.get("/topics/missing"), 404, 40401);
        assertError(gw.get("/topics/missing/partitions"), 404, 40401);
        assertError(gw.post("/topics/missing", TEXT, records("v")), 404, 40401);
        assertError(gw.get("/topics/known/partitions/7"), 404, 40402);
        assertError(gw.get("/topics/known/partitions/7/offsets"), 404, 40402);
        assertError(gw.post("/topics/known/partitions/7", TEXT, records("v")), 404, 40402);
        assertError(gw.get("/topics/missing/stream"), 404, 40401);
        assertError(gw.get("/consumers/g/instances/nobody/subscription"), 404, 40403);
        assertError(gw.send("GET", "/consumers/g/instances/nobody/records", null, null, Map.of()), 404, 40403);
        assertError(gw.delete("/consumers/g/instances/nobody"), 404, 40403);
        assertError(gw.get("/no/such/route"), 404, 404);
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String big = "x".repeat(4096);
        assertError(gw.post("/topics/known", TEXT, records(big)), 413, 413);
    }

    @Test
    void consumerMistakes() {
        assertError(gw.postJson("/consumers/gx", new JsonObject().put("format", "avro")), 422, 42204);
        assertError(gw.postJson("/consumers/gx", new JsonObject().put("auto.offset.reset", "sometime")), 422, 42204);
        assertThat(gw.postJson("/consumers/gx", new JsonObject().put("name", "dup").put("format", "text")).status())
                .isEqualTo(200);
        assertError(gw.postJson("/consumers/gx", new JsonObject().put("name", "dup")), 409, 40902);
        String path = "/consumers/gx/instances/dup";
        assertError(gw.send("GET", path + "/records?timeout=soon", null, null, Map.of()), 400, 400);
        assertError(gw.postJson(path + "/subscription", new JsonObject()), 422, 42205);
        assertError(gw.postJson(path + "/assignments", new JsonObject().put("partitions", new JsonArray()
                .add(new JsonObject().put("topic", "known").put("partition", 9)))), 404, 40402);
        assertError(gw.postJson(path + "/positions", new JsonObject().put("offsets", new JsonArray()
                .add(new JsonObject().put("topic", "known").put("partition", 0).put("offset", 1)))), 409, 40903);
        assertThat(gw.delete(path).status()).isEqualTo(204);
    }

    @Test
    void adminAndStreamMistakes() {
        assertError(gw.postJson("/admin/topics", new JsonObject().put("topic_name", "known")), 409, 40905);
        assertError(gw.postJson("/admin/topics", new JsonObject().put("partitions_count", 1)), 422, 42205);
        assertError(gw.postJson("/admin/topics", new JsonObject().put("topic_name", "bad/name")), 422, 42205);
        assertError(gw.send("GET", "/topics/known/stream", null, null, Map.of("Last-Event-ID", "garbage")), 400, 400);
        assertError(gw.get("/topics/known/stream?from=yesterday"), 400, 400);
        assertError(gw.get("/topics/known/stream?format=avro"), 422, 42204);
    }

    @Test
    void wrongMethodsAre405AndMqttWithoutHandlerIs404() {
        assertError(gw.delete("/topics/known"), 405, 405);
        assertError(gw.get("/mqtt"), 404, 404);
    }
}
