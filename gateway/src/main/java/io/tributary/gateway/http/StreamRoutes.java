package io.tributary.gateway.http;

import io.tributary.core.api.Records;
import io.tributary.core.api.TopicDescription;
import io.tributary.core.api.Topics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /topics/{topic}/stream}: every record of a topic as it arrives, as Server-Sent Events or, on a
 * WebSocket upgrade, as WebSocket messages. Where it starts: the Last-Event-ID header (or the
 * {@code last_event_id} parameter, for WebSocket clients) resumes exactly; otherwise {@code timestamp=<ms>} or
 * {@code from=earliest|latest} (default latest). {@code format=text|json|binary} (default text) picks how keys
 * and values are written.
 */
final class StreamRoutes {

    private final Topics topics;
    private final Records records;
    private final long heartbeatMs;

    StreamRoutes(Topics topics, Records records, long heartbeatMs) {
        this.topics = topics;
        this.records = records;
        this.heartbeatMs = heartbeatMs;
    }

    void mount(Router router) {
        router.get("/topics/:topic/stream").handler(this::stream);
    }

    private void stream(RoutingContext ctx) {
        String name = ctx.pathParam("topic");
        TopicDescription topic = topics.describe(name).orElseThrow(() -> HttpError.topicNotFound(name));
        String formatName = ctx.request().getParam("format");
        ValueCodec codec = (formatName == null ? EmbeddedFormat.TEXT : EmbeddedFormat.byName(formatName)).codec();
        Map<Integer, Long> resume = resumePositions(ctx);
        long startAt = startTimestamp(ctx);
        Context context = Vertx.currentContext();
        if (ctx.request().canUpgradeToWebSocket()) {
            ctx.request().toWebSocket().onSuccess(socket -> startPositions(topic, resume, startAt).onComplete(ar -> {
                if (ar.failed()) {
                    socket.close((short) 1011, ErrorMapping.toHttpError(ar.cause()).getMessage());
                    return;
                }
                TopicTail tail = new TopicTail(records, context, topic.name(), ar.result(), new WebSocketSink(socket, codec));
                socket.closeHandler(v -> tail.stop());
                socket.exceptionHandler(e -> tail.stop());
                tail.start();
            })).onFailure(ctx::fail);
            return;
        }
        startPositions(topic, resume, startAt).onSuccess(start -> {
            HttpServerResponse response = ctx.response();
            if (response.closed()) {
                return;
            }
            SseSink sink = new SseSink(response, codec);
            sink.open();
            TopicTail tail = new TopicTail(records, context, topic.name(), start, sink);
            long heartbeat = context.owner().setPeriodic(heartbeatMs, id -> sink.heartbeat());
            response.closeHandler(v -> {
                tail.stop();
                context.owner().cancelTimer(heartbeat);
            });
            tail.start();
        }).onFailure(ctx::fail);
    }

    private static Map<Integer, Long> resumePositions(RoutingContext ctx) {
        String id = ctx.request().getHeader("Last-Event-ID");
        if (id == null) {
            id = ctx.request().getParam("last_event_id");
        }
        return id == null || id.isBlank() ? Map.of() : StreamPositions.resumeFrom(id);
    }

    /** {@link Records#offsetFor} timestamp of where partitions without a resume position start. */
    private static long startTimestamp(RoutingContext ctx) {
        Long timestamp = RequestBodies.longQuery(ctx, "timestamp");
        if (timestamp != null) {
            return timestamp;
        }
        String from = ctx.request().getParam("from", "latest").toLowerCase(Locale.ROOT);
        return switch (from) {
            case "earliest" -> Records.EARLIEST;
            case "latest" -> Records.LATEST;
            default -> throw HttpError.badRequest("from must be earliest or latest, was " + from);
        };
    }

    private Future<Map<Integer, Long>> startPositions(TopicDescription topic, Map<Integer, Long> resume, long startAt) {
        Map<Integer, Long> start = new TreeMap<>();
        List<Future<Void>> lookups = new ArrayList<>();
        for (int p = 0; p < topic.partitions(); p++) {
            int partition = p;
            if (resume.containsKey(p)) {
                start.put(p, resume.get(p));
            } else {
                lookups.add(records.offsetFor(new TopicPartition(topic.name(), p), startAt).map(offset -> {
                    start.put(partition, offset);
                    return null;
                }));
            }
        }
        return Future.all(lookups).map(v -> start);
    }
}
