package io.tributary.gateway.mqtt;

import io.tributary.core.api.BrokerApi;
import io.tributary.core.api.NewRecord;
import io.tributary.core.api.StoredRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Persistent sessions in the compacted topic __mqtt_sessions: key the client id, value a JSON document of
 * the session's subscriptions, durable positions and open inbound QoS 2 ids; a tombstone ends a session.
 */
final class SessionStore {

    static final String TOPIC = "__mqtt_sessions";

    private final BrokerApi api;
    private final InternalTopic topic;

    SessionStore(Vertx vertx, BrokerApi api) {
        this.api = api;
        this.topic = new InternalTopic(vertx, api, TOPIC);
    }

    /** Replays the topic: the latest document of every client id not ended by a tombstone. */
    Future<Map<String, Session>> load() {
        Map<String, Session> sessions = new LinkedHashMap<>();
        return topic.ensureExists().compose(v -> topic.replay(r -> apply(r, sessions))).map(sessions);
    }

    private static void apply(StoredRecord r, Map<String, Session> sessions) {
        if (r.key() == null) {
            return;
        }
        String clientId = new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            sessions.remove(clientId);
        } else {
            Session s = decode(clientId, new JsonObject(new String(r.value(), StandardCharsets.UTF_8)));
            s.stored(true);
            sessions.put(clientId, s);
        }
    }

    Future<Void> save(Session session) {
        byte[] value = encode(session).encode().getBytes(StandardCharsets.UTF_8);
        session.stored(true);
        return append(session.clientId(), value);
    }

    Future<Void> delete(Session session) {
        if (!session.stored()) {
            return Future.succeededFuture();
        }
        session.stored(false);
        return append(session.clientId(), null);
    }

    private Future<Void> append(String clientId, byte[] value) {
        NewRecord record = new NewRecord(clientId.getBytes(StandardCharsets.UTF_8), value, List.of(), NewRecord.NOW);
        return api.records().append(TOPIC, 0, List.of(record)).mapEmpty();
    }

    static JsonObject encode(Session s) {
        JsonArray subs = new JsonArray();
        for (Subscription sub : s.subscriptions.values()) {
            subs.add(new JsonObject()
                    .put("filter", sub.filter())
                    .put("share", sub.shareGroup())
                    .put("qos", sub.qos())
                    .put("noLocal", sub.noLocal())
                    .put("retainAsPublished", sub.retainAsPublished())
                    .put("retainHandling", sub.retainHandling())
                    .put("id", sub.identifier())
                    .put("from", offsets(sub.from())));
        }
        return new JsonObject()
                .put("expiry", s.expirySeconds())
                .put("disconnectedAt", s.disconnectedAt())
                .put("subscriptions", subs)
                .put("positions", offsets(s.durablePositions()))
                .put("qos2", new JsonArray(List.copyOf(s.inboundQos2)));
    }

    static Session decode(String clientId, JsonObject json) {
        Session s = new Session(clientId, json.getLong("expiry", -1L));
        s.disconnectedAt(json.getLong("disconnectedAt", 0L));
        for (Object o : json.getJsonArray("subscriptions", new JsonArray())) {
            JsonObject j = (JsonObject) o;
            Subscription sub = new Subscription(j.getString("filter"), j.getString("share"), j.getInteger("qos", 0),
                    j.getBoolean("noLocal", false), j.getBoolean("retainAsPublished", false),
                    j.getInteger("retainHandling", 0), j.getInteger("id", 0), offsets(j.getJsonObject("from")));
            s.subscriptions.put(sub.key(), sub);
        }
        s.positions.putAll(offsets(json.getJsonObject("positions")));
        for (Object id : json.getJsonArray("qos2", new JsonArray())) {
            s.inboundQos2.add(((Number) id).intValue());
        }
        return s;
    }

    private static JsonObject offsets(Map<TopicPartition, Long> offsets) {
        JsonObject out = new JsonObject();
        offsets.forEach((tp, offset) -> out.put(tp.topic() + ":" + tp.partition(), offset));
        return out;
    }

    private static Map<TopicPartition, Long> offsets(JsonObject json) {
        Map<TopicPartition, Long> out = new HashMap<>();
        if (json != null) {
            for (String k : json.fieldNames()) {
                int colon = k.lastIndexOf(':');
                out.put(new TopicPartition(k.substring(0, colon), Integer.parseInt(k.substring(colon + 1))),
                        json.getLong(k));
            }
        }
        return out;
    }
}
