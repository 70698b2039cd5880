package io.tributary.gateway.http;

import io.tributary.core.api.TopicDescription;
import io.tributary.core.api.Topics;
import java.util.regex.Pattern;
import io.tributary.core.api.Records;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/** The REST Proxy's consumer API under {@code /consumers/{group}}: instances, subscriptions, records, offsets. */
final class ConsumerRoutes {

    private static final String INSTANCE = "/consumers/:group/instances/:name";

    private final ConsumerRegistry registry;
    private final HttpSettings settings;
    private final Topics topics;

    ConsumerRoutes(ConsumerRegistry registry, HttpSettings settings, Topics topics) {
        this.topics = topics;
        this.registry = registry;
        this.settings = settings;
    }

    void mount(Router router) {
        router.post("/consumers/:group").handler(this::create);
        router.delete(INSTANCE).handler(this::delete);
        router.post(INSTANCE + "/subscription").handler(this::subscribe);
        router.get(INSTANCE + "/subscription").handler(ctx -> call(ctx, i -> Future.succeededFuture(
                subscriptionView(i))));
        router.delete(INSTANCE + "/subscription").handler(ctx -> callNoContent(ctx, ConsumerInstance::unsubscribe));
        router.post(INSTANCE + "/assignments").handler(this::assign);
        router.get(INSTANCE + "/assignments").handler(ctx -> call(ctx, i -> Future.succeededFuture(
                new JsonObject().put("partitions", partitionsJson(i.assignment())))));
        router.post(INSTANCE + "/positions").handler(this::seek);
        router.post(INSTANCE + "/positions/beginning").handler(ctx -> seekTo(ctx, Records.EARLIEST));
        router.post(INSTANCE + "/positions/end").handler(ctx -> seekTo(ctx, Records.LATEST));
        router.get(INSTANCE + "/records").handler(this::records);
        router.post(INSTANCE + "/offsets").handler(this::commit);
        router.get(INSTANCE + "/offsets").handler(this::committed);
    }

    private void create(RoutingContext ctx) {
        String group = ctx.pathParam("group");
        ConsumerSettings parsed = ConsumerSettings.parse(RequestBodies.apiObject(ctx), "rest-consumer-" + UUID.randomUUID());
        registry.create(group, parsed);
        String baseUri = baseUri(ctx) + "/consumers/" + group + "/instances/" + parsed.name();
        JsonReplies.send(ctx, 200, new JsonObject().put("instance_id", parsed.name()).put("base_uri", baseUri));
    }

    private static String baseUri(RoutingContext ctx) {
        String host = ctx.request().getHeader("Host");
        return ctx.request().scheme() + "://" + (host != null ? host : ctx.request().localAddress().toString());
    }

    /** The subscribed topics; under a pattern, the existing topics it matches now, and the pattern itself. */
    private JsonObject subscriptionView(ConsumerInstance instance) {
        if (instance.pattern() == null) {
            return new JsonObject().put("topics", new JsonArray(new ArrayList<>(instance.subscription())));
        }
        Pattern regex = Pattern.compile(instance.pattern());
        List<String> matching = topics.list().stream()
                .filter(t -> !t.internal() && regex.matcher(t.name()).matches())
                .map(TopicDescription::name)
                .toList();
        return new JsonObject().put("topics", new JsonArray(new ArrayList<>(matching)))
                .put("topic_pattern", instance.pattern());
    }

    private void delete(RoutingContext ctx) {
        registry.delete(ctx.pathParam("group"), ctx.pathParam("name"))
                .onSuccess(v -> JsonReplies.noContent(ctx))
                .onFailure(ctx::fail);
    }

    /** Body {@code {"topics":["a","b"]}} or {@code {"topic_pattern":"sensors-.*"}}. */
    private void subscribe(RoutingContext ctx) {
        JsonObject body = RequestBodies.apiObject(ctx);
        if (body.containsKey("topic_pattern")) {
            if (body.containsKey("topics")) {
                throw HttpError.invalidBody("give either topics or topic_pattern, not both");
            }
            if (!(body.getValue("topic_pattern") instanceof String regex) || regex.isEmpty()) {
                throw HttpError.invalidBody("topic_pattern must be a non-empty string");
            }
            callNoContent(ctx, i -> i.subscribeMatching(regex));
            return;
        }
        JsonArray topics = RequestBodies.array(body, "topics", true);
        List<String> names = new ArrayList<>();
        for (Object topic : topics) {
            if (!(topic instanceof String name) || name.isEmpty()) {
                throw HttpError.invalidBody("topics must be non-empty strings");
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw HttpError.invalidBody("topics must not be empty");
        }
        callNoContent(ctx, i -> i.subscribe(names));
    }

    /** Body {@code {"partitions":[{"topic":"a","partition":0}]}}. */
    private void assign(RoutingContext ctx) {
        Set<TopicPartition> partitions = partitions(RequestBodies.apiObject(ctx));
        callNoContent(ctx, i -> i.assign(partitions));
    }

    /** Body {@code {"offsets":[{"topic":"a","partition":0,"offset":42}]}}: the next records to read. */
    private void seek(RoutingContext ctx) {
        Map<TopicPartition, Long> offsets = offsets(RequestBodies.apiObject(ctx), true);
        callNoContent(ctx, i -> i.seek(offsets));
    }

    private void seekTo(RoutingContext ctx, long where) {
        Set<TopicPartition> partitions = partitions(RequestBodies.apiObject(ctx));
        callNoContent(ctx, i -> i.seekTo(partitions, where));
    }

    private void records(RoutingContext ctx) {
        Long timeout = RequestBodies.longQuery(ctx, "timeout");
        Long maxBytes = RequestBodies.longQuery(ctx, "max_bytes");
        long wait = timeout != null ? timeout : settings.consumerRequestTimeoutMs();
        long limit = Math.min(maxBytes != null ? maxBytes : settings.consumerRequestMaxBytes(),
                settings.consumerRequestMaxBytes());
        // The Accept header picks the format of this answer; without one naming a format, the instance's.
        EmbeddedFormat accepted = MediaTypes.acceptedFormat(ctx.request().getHeader("Accept"));
        call(ctx, instance -> instance.poll(wait, limit, format(accepted, instance)),
                instance -> format(accepted, instance).mediaType());
    }

    private static EmbeddedFormat format(EmbeddedFormat accepted, ConsumerInstance instance) {
        return accepted != null ? accepted : instance.settings().format();
    }

    /** An empty body commits every current position; otherwise the listed offsets (the next to read). */
    private void commit(RoutingContext ctx) {
        JsonObject body = RequestBodies.apiObject(ctx);
        Map<TopicPartition, Long> offsets = body.containsKey("offsets") ? offsets(body, true) : null;
        callNoContent(ctx, i -> i.commit(offsets));
    }

    /** Body {@code {"partitions":[{"topic":"a","partition":0}]}}; answers the group's committed offsets. */
    private void committed(RoutingContext ctx) {
        Set<TopicPartition> partitions = partitions(RequestBodies.apiObject(ctx));
        call(ctx, i -> i.committed(partitions).map(committed -> {
            JsonArray offsets = new JsonArray();
            for (TopicPartition tp : partitions) {
                Long offset = committed.get(tp);
                offsets.add(new JsonObject().put("topic", tp.topic()).put("partition", tp.partition())
                        .put("offset", offset == null ? -1 : offset).put("metadata", ""));
            }
            return new JsonObject().put("offsets", offsets);
        }));
    }

    // ---- helpers

    private <T> void call(RoutingContext ctx, Function<ConsumerInstance, Future<T>> work) {
        call(ctx, work, null);
    }

    private <T> void call(RoutingContext ctx, Function<ConsumerInstance, Future<T>> work,
                          Function<ConsumerInstance, String> contentType) {
        String[] type = new String[1];
        registry.call(ctx.pathParam("group"), ctx.pathParam("name"), instance -> {
            type[0] = contentType == null ? MediaTypes.KAFKA_V2 : contentType.apply(instance);
            return work.apply(instance);
        }).onSuccess(body -> {
            if (!ctx.response().closed()) {
                ctx.response().putHeader("Content-Type", type[0]).end(io.vertx.core.json.Json.encodeToBuffer(body));
            }
        }).onFailure(ctx::fail);
    }

    private void callNoContent(RoutingContext ctx, Function<ConsumerInstance, Future<Void>> work) {
        registry.call(ctx.pathParam("group"), ctx.pathParam("name"), work)
                .onSuccess(v -> JsonReplies.noContent(ctx))
                .onFailure(ctx::fail);
    }

    private static Set<TopicPartition> partitions(JsonObject body) {
        JsonArray list = RequestBodies.array(body, "partitions", true);
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            partitions.add(topicPartition(RequestBodies.object(list.getValue(i), "partitions[" + i + "]")));
        }
        return partitions;
    }

    private static Map<TopicPartition, Long> offsets(JsonObject body, boolean required) {
        JsonArray list = RequestBodies.array(body, "offsets", required);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonObject entry = RequestBodies.object(list.getValue(i), "offsets[" + i + "]");
            long offset = RequestBodies.requiredInteger(entry, "offset");
            if (offset < 0) {
                throw HttpError.invalidOffsetOrPartition("offsets[" + i + "].offset must not be negative");
            }
            offsets.put(topicPartition(entry), offset);
        }
        return offsets;
    }

    private static TopicPartition topicPartition(JsonObject entry) {
        String topic = RequestBodies.requiredString(entry, "topic");
        long partition = RequestBodies.requiredInteger(entry, "partition");
        if (partition < 0 || partition > Integer.MAX_VALUE) {
            throw HttpError.invalidOffsetOrPartition("partition must be a partition number");
        }
        return new TopicPartition(topic, (int) partition);
    }

    static JsonArray partitionsJson(Set<TopicPartition> partitions) {
        JsonArray list = new JsonArray();
        partitions.stream().sorted((a, b) -> a.topic().equals(b.topic())
                        ? Integer.compare(a.partition(), b.partition()) : a.topic().compareTo(b.topic()))
                .forEach(tp -> list.add(new JsonObject().put("topic", tp.topic()).put("partition", tp.partition())));
        return list;
    }
}
