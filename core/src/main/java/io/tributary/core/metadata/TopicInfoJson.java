package io.tributary.core.metadata;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import org.apache.kafka.common.Uuid;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of a topic, used both on disk (topics.json) and in the cluster's replicated metadata map.
 * Files written before partition states existed have none: their partitions are this broker's alone.
 * Fields this version does not know are ignored, so a newer broker's file still loads.
 *
 * <p>Built on Jackson's streaming parser and generator alone ({@link JacksonCodec}): binding records through
 * an ObjectMapper made every broker start pay about 0.3 s for data binding's classes and its introspection.
 */
public final class TopicInfoJson {

    static final JacksonCodec CODEC = new JacksonCodec();

    private TopicInfoJson() {
    }

    static JsonObject toJson(TopicInfo topic) {
        JsonArray states = new JsonArray();
        for (PartitionState state : topic.partitions()) {
            states.add(new JsonObject()
                    .put("replicas", new JsonArray(new ArrayList<>(state.replicas())))
                    .put("leader", state.leader())
                    .put("leaderEpoch", state.leaderEpoch())
                    .put("isr", new JsonArray(new ArrayList<>(state.isr())))
                    .put("partitionEpoch", state.partitionEpoch())
                    .put("targetReplicas", state.targetReplicas() == null ? null
                            : new JsonArray(new ArrayList<>(state.targetReplicas()))));
        }
        return new JsonObject()
                .put("name", topic.name())
                .put("id", topic.id().toString())
                .put("partitions", topic.partitionCount())
                .put("configs", new JsonObject(new LinkedHashMap<>(topic.configs())))
                .put("states", states);
    }

    /** The topic {@code json} describes; a state-less (old) entry's partitions belong to {@code nodeId}. */
    static TopicInfo fromJson(JsonObject json, int nodeId) {
        String name = required(required(json, "topic").getString("name"), "name");
        Uuid id = Uuid.fromString(required(json.getString("id"), "id"));
        Map<String, String> configs = new LinkedHashMap<>();
        JsonObject storedConfigs = json.getJsonObject("configs");
        if (storedConfigs != null) {
            storedConfigs.forEach(e -> configs.put(e.getKey(), String.valueOf(e.getValue())));
        }
        JsonArray states = json.getJsonArray("states");
        if (states == null || states.isEmpty()) {
            return TopicInfo.single(name, id, required(json.getInteger("partitions"), "partitions"), configs, nodeId);
        }
        List<PartitionState> partitions = new ArrayList<>(states.size());
        for (int i = 0; i < states.size(); i++) {
            JsonObject state = required(states.getJsonObject(i), "states[" + i + "]");
            JsonArray target = state.getJsonArray("targetReplicas");
            partitions.add(new PartitionState(brokers(state.getJsonArray("replicas"), "replicas"),
                    required(state.getInteger("leader"), "leader"),
                    required(state.getInteger("leaderEpoch"), "leaderEpoch"),
                    brokers(state.getJsonArray("isr"), "isr"),
                    required(state.getInteger("partitionEpoch"), "partitionEpoch"),
                    target == null ? null : brokers(target, "targetReplicas")));
        }
        return new TopicInfo(name, id, partitions, configs);
    }

    /** Parses a JSON object; Jackson's streaming codec yields plain maps and lists, which JsonObject wraps. */
    @SuppressWarnings("unchecked")
    static JsonObject parse(String json) {
        Map<String, Object> map = CODEC.fromString(json, Map.class);
        if (map == null) {
            throw new DecodeException("Expected a JSON object, not null");
        }
        return new JsonObject(map);
    }

    public static String encode(TopicInfo topic) {
        return CODEC.toString(toJson(topic), false);
    }

    public static TopicInfo decode(String json) {
        try {
            return fromJson(parse(json), PartitionState.NO_LEADER);
        } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Malformed topic metadata: " + e.getMessage(), e);
        }
    }

    private static List<Integer> brokers(JsonArray ids, String field) {
        List<Integer> brokers = new ArrayList<>(required(ids, field).size());
        for (int i = 0; i < ids.size(); i++) {
            brokers.add(required(ids.getInteger(i), field));
        }
        return brokers;
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("'" + field + "' is missing");
        }
        return value;
    }
}
