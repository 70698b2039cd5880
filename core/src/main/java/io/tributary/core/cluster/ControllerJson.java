package io.tributary.core.cluster;

import io.tributary.core.metadata.PartitionState;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.metadata.TopicInfoJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The JSON the controller and its clients exchange on the event bus: topics, partition states, lists. */
final class ControllerJson {

    private ControllerJson() {
    }

    static JsonObject reply(TopicInfo topic) {
        return new JsonObject().put(ControllerOps.TOPIC, TopicInfoJson.encode(topic));
    }

    static JsonObject state(PartitionState state) {
        JsonObject json = new JsonObject()
                .put(ControllerOps.REPLICAS, new JsonArray(state.replicas()))
                .put(ControllerOps.LEADER, state.leader())
                .put(ControllerOps.LEADER_EPOCH, state.leaderEpoch())
                .put(ControllerOps.ISR, new JsonArray(state.isr()))
                .put(ControllerOps.PARTITION_EPOCH, state.partitionEpoch());
        if (state.targetReplicas() != null) {
            json.put(ControllerOps.TARGET, new JsonArray(state.targetReplicas()));
        }
        return json;
    }

    static PartitionState stateFrom(JsonObject json) {
        return new PartitionState(ints(json.getJsonArray(ControllerOps.REPLICAS)),
                json.getInteger(ControllerOps.LEADER), json.getInteger(ControllerOps.LEADER_EPOCH),
                ints(json.getJsonArray(ControllerOps.ISR)), json.getInteger(ControllerOps.PARTITION_EPOCH),
                json.containsKey(ControllerOps.TARGET) ? ints(json.getJsonArray(ControllerOps.TARGET)) : null);
    }

    static List<Integer> ints(JsonArray array) {
        List<Integer> list = new ArrayList<>();
        for (Object o : array) {
            list.add(((Number) o).intValue());
        }
        return list;
    }

    static Map<String, String> strings(JsonObject json) {
        Map<String, String> map = new HashMap<>();
        if (json != null) {
            json.forEach(e -> map.put(e.getKey(), String.valueOf(e.getValue())));
        }
        return map;
    }
}
