package io.tributary.core.cluster;

import io.tributary.core.config.Listener;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A live broker of the cluster as the others see it: its id, rack and the Kafka endpoints it advertises. */
public record ClusterMember(int nodeId, String rack, List<Listener> endpoints) {

    public ClusterMember {
        endpoints = List.copyOf(endpoints);
    }

    /** The endpoint clients of listener {@code name} use, else the first one; null before the member announced. */
    public Listener endpoint(String name) {
        if (endpoints.isEmpty()) {
            return null;
        }
        return endpoints.stream().filter(l -> l.name().equals(name)).findFirst().orElse(endpoints.get(0));
    }

    public Optional<String> rackIfSet() {
        return Optional.ofNullable(rack);
    }

    String toJson() {
        JsonArray list = new JsonArray();
        endpoints.forEach(l -> list.add(new JsonObject().put("name", l.name()).put("host", l.host()).put("port", l.port())));
        return new JsonObject().put("nodeId", nodeId).put("rack", rack).put("endpoints", list).encode();
    }

    static ClusterMember fromJson(String json) {
        JsonObject o = new JsonObject(json);
        List<Listener> endpoints = new ArrayList<>();
        for (Object e : o.getJsonArray("endpoints")) {
            JsonObject l = (JsonObject) e;
            endpoints.add(new Listener(l.getString("name"), l.getString("host"), l.getInteger("port")));
        }
        return new ClusterMember(o.getInteger("nodeId"), o.getString("rack"), endpoints);
    }
}
