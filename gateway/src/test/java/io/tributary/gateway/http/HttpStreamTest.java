package io.tributary.gateway.http;

import io.tributary.core.api.StoredRecord;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Live topic streams: Server-Sent Events, resume by Last-Event-ID, WebSocket, and backpressure. */
class HttpStreamTest {

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

    private static void produce(String topic, int from, int count) throws Exception {
        produce(topic, from, count, "");
    }

    private static void produce(String topic, int from, int count, String padding) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = gw.producer()) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(topic, ("key-" + i).getBytes(StandardCharsets.UTF_8),
                        ("value-" + i + padding).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    @Test
    void recordsProducedByAKafkaClientArriveOnAnSseStream() throws Exception {
        gw.createTopic("sse-live", 2);
        try (SseClient sse = new SseClient(gw.http, gw.url("/topics/sse-live/stream"), Map.of())) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.contentType()).startsWith("text/event-stream");
            produce("sse-live", 0, 20);
            List<SseClient.Event> events = sse.take(20, Duration.ofSeconds(20));
            Set<String> values = new HashSet<>();
            for (SseClient.Event e : events) {
                JsonObject record = e.json();
                values.add(record.getString("value"));
                assertThat(e.id()).startsWith(record.getInteger("partition") + ":" + record.getLong("offset") + "|");
            }
            assertThat(values).hasSize(20).contains("value-0", "value-19");
        }
    }

    @Test
    void resumingWithLastEventIdLosesAndRepeatsNothing() throws Exception {
        String topic = "sse-resume";
        gw.createTopic(topic, 3);
        produce(topic, 0, 30);
        Set<String> seen = new HashSet<>();
        String lastId;
        try (SseClient first = new SseClient(gw.http, gw.url("/topics/" + topic + "/stream?from=earliest"), Map.of())) {
            List<SseClient.Event> events = first.take(10, Duration.ofSeconds(20));
            for (SseClient.Event e : events) {
                assertThat(seen.add(e.json().getInteger("partition") + ":" + e.json().getLong("offset"))).isTrue();
            }
            lastId = events.get(events.size() - 1).id();
        }
        produce(topic, 30, 30);
        try (SseClient second = new SseClient(gw.http, gw.url("/topics/" + topic + "/stream?from=latest"),
                Map.of("Last-Event-ID", lastId))) {
            for (SseClient.Event e : second.take(50, Duration.ofSeconds(20))) {
                assertThat(seen.add(e.json().getInteger("partition") + ":" + e.json().getLong("offset")))
                        .as("event %s repeated after the resume", e.id()).isTrue();
            }
        }
        assertThat(seen).as("all 60 records, each once").hasSize(60);
    }

    @Test
    void aTimestampStartsAtTheFirstRecordAtOrAfterIt() throws Exception {
        String topic = "sse-timestamp";
        gw.createTopic(topic, 1);
        try (KafkaProducer<byte[], byte[]> producer = gw.producer()) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, 0, 1_000L * (i + 1), null,
                        ("t" + i).getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        try (SseClient sse = new SseClient(gw.http, gw.url("/topics/" + topic + "/stream?timestamp=2500"), Map.of())) {
            List<SseClient.Event> events = sse.take(3, Duration.ofSeconds(20));
            assertThat(events).extracting(e -> e.json().getString("value")).containsExactly("t2", "t3", "t4");
        }
    }

    @Test
    void theSameStreamWorksOverWebSocketAndResumesFromLastEventId() throws Exception {
        String topic = "ws-stream";
        gw.createTopic(topic, 1);
        produce(topic, 0, 3);
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket ws = openWebSocket("/topics/" + topic + "/stream?from=earliest&format=text", messages);
        String lastId = null;
        for (int i = 0; i < 3; i++) {
            JsonObject record = new JsonObject(messages.poll(20, TimeUnit.SECONDS));
            assertThat(record.getString("value")).isEqualTo("value-" + i);
            assertThat(record.getString("key")).isEqualTo("key-" + i);
            assertThat(record.getString("id")).isEqualTo("0:" + i + "|0:" + (i + 1));
            lastId = record.getString("id");
        }
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);

        produce(topic, 3, 2);
        BlockingQueue<String> resumed = new LinkedBlockingQueue<>();
        WebSocket again = openWebSocket("/topics/" + topic + "/stream?last_event_id="
                + java.net.URLEncoder.encode(lastId, StandardCharsets.UTF_8), resumed);
        try {
            assertThat(new JsonObject(resumed.poll(20, TimeUnit.SECONDS)).getString("value")).isEqualTo("value-3");
            assertThat(new JsonObject(resumed.poll(20, TimeUnit.SECONDS)).getString("value")).isEqualTo("value-4");
        } finally {
            again.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
    }

    private static WebSocket openWebSocket(String path, BlockingQueue<String> messages) throws Exception {
        return gw.http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + gw.port + path),
                new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            messages.add(partial.toString());
                            partial.setLength(0);
                        }
                        socket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aFullWriteQueueStopsReadingTheLogUntilItDrains() throws Exception {
        String topic = "backpressure";
        gw.createTopic(topic, 2);
        String kilobyte = "x".repeat(1024);
        produce(topic, 0, 2_000, kilobyte);
        List<StoredRecord> delivered = new CopyOnWriteArrayList<>();
        AtomicBoolean full = new AtomicBoolean(false);
        List<Runnable> drainHandlers = new CopyOnWriteArrayList<>();
        StreamSink slowBrowser = new StreamSink() {
            @Override
            public void send(StoredRecord record, String eventId) {
                delivered.add(record);
                if (delivered.size() == 10) {
                    full.set(true); // the connection's write queue is over its limit from here until drained
                }
            }

            @Override
            public boolean writeQueueFull() {
                return full.get();
            }

            @Override
            public void onDrain(Runnable drained) {
                drainHandlers.add(drained);
            }

            @Override
            public void fail(Throwable cause) {
                throw new AssertionError(cause);
            }
        };
        Context context = gw.broker.broker().vertx().getOrCreateContext();
        TopicTail[] tail = new TopicTail[1];
        context.runOnContext(v -> {
            tail[0] = new TopicTail(gw.broker.broker().api().records(), context, topic, new TreeMap<>(Map.of(0, 0L, 1, 0L)),
                    slowBrowser);
            tail[0].start();
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> drainHandlers.size() == 1);
        int whileFull = delivered.size();
        // Only what the polls in flight had read (one per partition, each about POLL_MAX_BYTES) got through.
        produce(topic, 2_000, 500, kilobyte);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> delivered.size() == whileFull);
        int perPoll = TopicTail.POLL_MAX_BYTES / 1024;
        assertThat(whileFull).isLessThanOrEqualTo(2 * (perPoll + 2));

        full.set(false);
        context.runOnContext(v -> drainHandlers.get(0).run());
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered.size() == 2_500);
        context.runOnContext(v -> tail[0].stop());
    }
}
