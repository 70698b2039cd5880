package io.tributary.gateway.http;

import io.tributary.core.api.TopicDescription;
import io.tributary.core.api.Topics;
import io.tributary.core.api.Records;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/** Topic metadata ({@code GET /topics...}) and topic creation ({@code POST /admin/topics}). */
final class TopicRoutes {

    private final Topics topics;
    private final Records records;
    /** This broker: the leader and only replica of every partition it serves. */
    private final int nodeId;

    TopicRoutes(Topics topics, Records records, int nodeId) {
        this.topics = topics;
        this.records = records;
        this.nodeId = nodeId;
    }

    void mount(Router router) {
        router.get("/topics").handler(this::list);
        router.get("/topics/:topic").handler(this::describe);
        router.get("/topics/:topic/partitions").handler(this::partitions);
        router.get("/topics/:topic/partitions/:partition").handler(this::partition);
        router.get("/topics/:topic/partitions/:partition/offsets").handler(this::offsets);
        router.post("/admin/topics").handler(this::create);
    }

    private void list(RoutingContext ctx) {
        Predicate<String> visible = ctx.get(HttpSecurity.TOPIC_FILTER);
        JsonArray names = new JsonArray();
        topics.list().stream().filter(t -> !t.internal())
                .filter(t -> visible == null || visible.test(t.name()))
                .forEach(t -> names.add(t.name()));
        JsonReplies.send(ctx, 200, names);
    }

    private void describe(RoutingContext ctx) {
        JsonReplies.send(ctx, 200, topicJson(existing(ctx.pathParam("topic"))));
    }

    private void partitions(RoutingContext ctx) {
        TopicDescription topic = existing(ctx.pathParam("topic"));
        JsonArray partitions = new JsonArray();
        for (int p = 0; p < topic.partitions(); p++) {
            partitions.add(partitionJson(p));
        }
        JsonReplies.send(ctx, 200, partitions);
    }

    private void partition(RoutingContext ctx) {
        TopicDescription topic = existing(ctx.pathParam("topic"));
        JsonReplies.send(ctx, 200, partitionJson(existingPartition(ctx, topic)));
    }

    private void offsets(RoutingContext ctx) {
        TopicDescription topic = existing(ctx.pathParam("topic"));
        int partition = existingPartition(ctx, topic);
        records.offsets(new TopicPartition(topic.name(), partition))
                .onSuccess(o -> JsonReplies.send(ctx, 200, new JsonObject()
                        .put("beginning_offset", o.logStartOffset()).put("end_offset", o.highWatermark())))
                .onFailure(ctx::fail);
    }

    /** Body {@code {"topic_name":"t","partitions_count":3,"replication_factor":1,"configs":{"k":"v"}}}. */
    private void create(RoutingContext ctx) {
        JsonObject body = RequestBodies.apiObject(ctx);
        String name = RequestBodies.requiredString(body, "topic_name");
        Long partitions = RequestBodies.integer(body, "partitions_count");
        Long replication = RequestBodies.integer(body, "replication_factor");
        if (partitions != null && (partitions < 1 || partitions > 100_000)) {
            throw HttpError.invalidBody("partitions_count must be between 1 and 100000");
        }
        if (replication != null && replication != 1) {
            throw HttpError.invalidBody("replication_factor must be 1 on a single broker");
        }
        Map<String, String> configs = new HashMap<>();
        Object rawConfigs = body.getValue("configs");
        if (rawConfigs != null) {
            RequestBodies.object(rawConfigs, "configs").forEach(e -> configs.put(e.getKey(), String.valueOf(e.getValue())));
        }
        topics.create(name, partitions == null ? -1 : partitions.intValue(), configs)
                .onSuccess(created -> JsonReplies.send(ctx, 201, topicJson(created)))
                .onFailure(ctx::fail);
    }

    private TopicDescription existing(String name) {
        return topics.describe(name).orElseThrow(() -> HttpError.topicNotFound(name));
    }

    private static int existingPartition(RoutingContext ctx, TopicDescription topic) {
        int partition = RequestBodies.partitionParam(ctx, topic.name());
        if (partition >= topic.partitions()) {
            throw HttpError.partitionNotFound(topic.name(), partition);
        }
        return partition;
    }

    private JsonObject topicJson(TopicDescription topic) {
        JsonArray partitions = new JsonArray();
        for (int p = 0; p < topic.partitions(); p++) {
            partitions.add(partitionJson(p));
        }
        return new JsonObject().put("name", topic.name()).put("configs", new JsonObject(new HashMap<>(topic.configs())))
                .put("partitions", partitions);
    }

    private JsonObject partitionJson(int partition) {
        JsonObject replica = new JsonObject().put("broker", nodeId).put("leader", true).put("in_sync", true);
        return new JsonObject().put("partition", partition).put("leader", nodeId)
                .put("replicas", new JsonArray().add(replica));
    }
}
