package io.tributary.gateway.http;

import io.tributary.core.api.ApiException;
import io.tributary.core.api.AppendedRecord;
import io.tributary.core.api.NewRecord;
import io.tributary.core.api.Records;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /topics/{topic}} and {@code POST /topics/{topic}/partitions/{partition}}. Answers only once the
 * log has acknowledged the appends; each record gets its offset or its own error, as in the REST Proxy.
 */
final class ProduceRoutes {

    private final Records records;

    ProduceRoutes(Records records) {
        this.records = records;
    }

    void mount(Router router) {
        router.post("/topics/:topic").handler(ctx -> produce(ctx, Records.ANY_PARTITION));
        router.post("/topics/:topic/partitions/:partition")
                .handler(ctx -> produce(ctx, RequestBodies.partitionParam(ctx, ctx.pathParam("topic"))));
    }

    private void produce(RoutingContext ctx, int pathPartition) {
        String topic = ctx.pathParam("topic");
        List<ProduceRecord> parsed = ProduceRequestParser.parse(ctx.request().getHeader("Content-Type"),
                () -> RequestBodies.json(ctx));
        // Records asking for the same partition go in one append, keeping their order.
        Map<Integer, List<Integer>> byPartition = new LinkedHashMap<>();
        for (int i = 0; i < parsed.size(); i++) {
            int p = pathPartition != Records.ANY_PARTITION ? pathPartition : parsed.get(i).partition();
            byPartition.computeIfAbsent(p, x -> new ArrayList<>()).add(i);
        }
        JsonObject[] results = new JsonObject[parsed.size()];
        List<Future<Void>> appends = new ArrayList<>();
        byPartition.forEach((partition, indexes) -> {
            List<NewRecord> batch = indexes.stream().map(i -> parsed.get(i).record()).toList();
            appends.add(records.append(topic, partition, batch).transform(ar -> {
                for (int j = 0; j < indexes.size(); j++) {
                    results[indexes.get(j)] = ar.succeeded() ? offset(ar.result().get(j)) : error(ar.cause());
                }
                return Future.succeededFuture();
            }));
        });
        Future.join(appends).onComplete(done -> respond(ctx, results));
    }

    private static void respond(RoutingContext ctx, JsonObject[] results) {
        HttpError common = commonClientError(results);
        if (common != null) {
            ctx.fail(common);
            return;
        }
        JsonObject body = new JsonObject()
                .put("offsets", new JsonArray(List.of((Object[]) results)))
                .putNull("key_schema_id")
                .putNull("value_schema_id");
        ctx.response().putHeader("Content-Type", MediaTypes.KAFKA_V2).end(body.encode());
    }

    /**
     * When every record failed for the same reason the client caused (no such topic or partition, an invalid
     * name), the whole request fails with that status instead of a 200 full of errors.
     */
    private static HttpError commonClientError(JsonObject[] results) {
        Integer code = results[0].getInteger("error_code");
        if (code == null || (code != 40401 && code != 40402 && code != 42205)) {
            return null;
        }
        for (JsonObject r : results) {
            if (!code.equals(r.getInteger("error_code"))) {
                return null;
            }
        }
        return new HttpError(code / 100, code, results[0].getString("error"));
    }

    private static JsonObject offset(AppendedRecord appended) {
        return new JsonObject().put("partition", appended.partition()).put("offset", appended.offset())
                .putNull("error_code").putNull("error");
    }

    private static JsonObject error(Throwable cause) {
        HttpError error = cause instanceof ApiException api ? ErrorMapping.fromApi(api) : ErrorMapping.toHttpError(cause);
        return new JsonObject().putNull("partition").putNull("offset")
                .put("error_code", error.errorCode()).put("error", error.getMessage());
    }
}
