package io.tributary.gateway.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Produce over HTTP in every format, read back with the Kafka Java consumer. */
class HttpProduceTest {

    @TempDir
    static Path dataDir;
    static HttpTestBroker gw;

    @BeforeAll
    static void start() {
        gw = HttpTestBroker.start(dataDir);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String utf8(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void binaryRecordsWithKeysAndHeadersReachAKafkaConsumer() {
        gw.createTopic("produce-binary", 1);
        JsonObject body = new JsonObject().put("records", new JsonArray()
                .add(new JsonObject().put("key", b64("k1")).put("value", b64("v1"))
                        .put("headers", new JsonArray().add(new JsonObject().put("key", "h").put("value", b64("hv")))))
                .add(new JsonObject().put("value", Base64.getEncoder().encodeToString(new byte[]{0, (byte) 0xff, 7}))));
        HttpTestBroker.Reply reply = gw.post("/topics/produce-binary", "application/vnd.kafka.binary.v2+json", body.encode());

        assertThat(reply.status()).isEqualTo(200);
        JsonObject json = reply.json();
        assertThat(json.containsKey("key_schema_id")).isTrue();
        assertThat(json.getValue("key_schema_id")).isNull();
        JsonArray offsets = json.getJsonArray("offsets");
        assertThat(offsets.getJsonObject(0).getLong("offset")).isEqualTo(0);
        assertThat(offsets.getJsonObject(1).getLong("offset")).isEqualTo(1);
        assertThat(offsets.getJsonObject(0).getValue("error_code")).isNull();

        List<ConsumerRecord<byte[], byte[]>> read = gw.readAll("produce-binary", 1, 2);
        assertThat(read).hasSize(2);
        assertThat(utf8(read.get(0).key())).isEqualTo("k1");
        assertThat(utf8(read.get(0).value())).isEqualTo("v1");
        Header header = read.get(0).headers().lastHeader("h");
        assertThat(utf8(header.value())).isEqualTo("hv");
        assertThat(read.get(1).key()).isNull();
        assertThat(read.get(1).value()).containsExactly(0, (byte) 0xff, 7);
    }

    @Test
    void jsonRecordsAreStoredAsTheirJsonText() {
        gw.createTopic("produce-json", 1);
        JsonObject body = new JsonObject().put("records", new JsonArray()
                .add(new JsonObject().put("key", new JsonObject().put("id", 1)).put("value", new JsonObject().put("t", 21.5)))
                .add(new JsonObject().put("value", new JsonArray().add(1).add("two"))));
        HttpTestBroker.Reply reply = gw.post("/topics/produce-json", "application/vnd.kafka.json.v2+json", body.encode());
        assertThat(reply.status()).isEqualTo(200);

        List<ConsumerRecord<byte[], byte[]>> read = gw.readAll("produce-json", 1, 2);
        assertThat(new JsonObject(utf8(read.get(0).key()))).isEqualTo(new JsonObject().put("id", 1));
        assertThat(new JsonObject(utf8(read.get(0).value()))).isEqualTo(new JsonObject().put("t", 21.5));
        assertThat(new JsonArray(utf8(read.get(1).value()))).isEqualTo(new JsonArray().add(1).add("two"));
    }

    @Test
    void textRecordsGoToTheRequestedPartition() {
        gw.createTopic("produce-text", 3);
        JsonObject body = new JsonObject().put("records", new JsonArray()
                .add(new JsonObject().put("key", "a").put("value", "héllo").put("partition", 2))
                .add(new JsonObject().put("value", "world").put("partition", 1)));
        HttpTestBroker.Reply reply = gw.post("/topics/produce-text", "application/vnd.kafka.text.v2+json", body.encode());
        assertThat(reply.status()).isEqualTo(200);
        JsonArray offsets = reply.json().getJsonArray("offsets");
        assertThat(offsets.getJsonObject(0).getInteger("partition")).isEqualTo(2);
        assertThat(offsets.getJsonObject(1).getInteger("partition")).isEqualTo(1);

        HttpTestBroker.Reply toPartition = gw.post("/topics/produce-text/partitions/0",
                "application/vnd.kafka.text.v2+json",
                new JsonObject().put("records", new JsonArray().add(new JsonObject().put("value", "zero"))).encode());
        assertThat(toPartition.status()).isEqualTo(200);
        assertThat(toPartition.json().getJsonArray("offsets").getJsonObject(0).getInteger("partition")).isEqualTo(0);

        List<ConsumerRecord<byte[], byte[]>> read = gw.readAll("produce-text", 3, 3);
        assertThat(read).extracting(r -> r.partition() + "=" + utf8(r.value()))
                .containsExactlyInAnyOrder("2=héllo", "1=world", "0=zero");
    }

    @Test
    void plainJsonFromSimpleDevicesBecomesOneRecordPerValue() {
        gw.createTopic("produce-plain", 1);
        HttpTestBroker.Reply single = gw.post("/topics/produce-plain", "application/json", "{\"temp\":20}");
        assertThat(single.status()).isEqualTo(200);
        HttpTestBroker.Reply many = gw.post("/topics/produce-plain", "application/json; charset=utf-8",
                "[{\"temp\":21},{\"temp\":22}]");
        assertThat(many.status()).isEqualTo(200);
        assertThat(many.json().getJsonArray("offsets")).hasSize(2);

        List<ConsumerRecord<byte[], byte[]>> read = gw.readAll("produce-plain", 1, 3);
        assertThat(read).extracting(r -> new JsonObject(utf8(r.value())).getInteger("temp")).containsExactly(20, 21, 22);
    }

    @Test
    void twoHundredConcurrentProducersAllGetTheirOffsets() throws Exception {
        gw.createTopic("produce-concurrent", 4);
        int producers = 200;
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < producers; i++) {
            String body = new JsonObject().put("records", new JsonArray()
                    .add(new JsonObject().put("key", "p" + i).put("value", "r" + i))).encode();
            sent.add(gw.http.sendAsync(HttpRequest.newBuilder(URI.create(gw.url("/topics/produce-concurrent")))
                    .header("Content-Type", "application/vnd.kafka.text.v2+json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> positions = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> f : sent) {
            HttpResponse<String> response = f.get(60, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonObject offset = new JsonObject(response.body()).getJsonArray("offsets").getJsonObject(0);
            assertThat(offset.getValue("error_code")).isNull();
            positions.add(offset.getInteger("partition") + ":" + offset.getLong("offset"));
        }
        assertThat(positions).as("every record has its own place in the log").hasSize(producers);
        assertThat(gw.readAll("produce-concurrent", 4, producers)).hasSize(producers);
    }
}
