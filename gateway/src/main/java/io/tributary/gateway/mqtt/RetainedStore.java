package io.tributary.gateway.mqtt;

import io.tributary.core.api.BrokerApi;
import io.tributary.core.api.NewRecord;
import io.tributary.core.api.StoredRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Retained messages: durably in the compacted topic __mqtt_retained (key: MQTT topic, value: payload, a
 * tombstone clears), and in memory for matching on subscribe. Shared by every event loop; an entry is only
 * replaced by one appended later, so racing publishers end with the log's order.
 */
final class RetainedStore {

    static final String TOPIC = "__mqtt_retained";

    private record Entry(long offset, Publication publication) {
    }

    private final BrokerApi api;
    private final InternalTopic topic;
    private final ConcurrentHashMap<String, Entry> byTopic = new ConcurrentHashMap<>();

    RetainedStore(Vertx vertx, BrokerApi api) {
        this.api = api;
        this.topic = new InternalTopic(vertx, api, TOPIC);
    }

    Future<Void> load() {
        return topic.ensureExists().compose(v -> topic.replay(this::apply));
    }

    private void apply(StoredRecord r) {
        if (r.key() == null) {
            return;
        }
        String mqttTopic = new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null || r.value().length == 0) {
            byTopic.remove(mqttTopic);
        } else {
            byTopic.put(mqttTopic, new Entry(r.offset(), PublicationCodec.fromRecord(r, mqttTopic, 0)));
        }
    }

    /** Stores (or, with an empty payload, clears) the retained message of the publication's topic. */
    Future<Void> retain(Publication p) {
        NewRecord record = PublicationCodec.toRecord(p);
        boolean clear = p.payload().length == 0;
        NewRecord stored = clear ? new NewRecord(record.key(), null, List.of(), NewRecord.NOW) : record;
        return api.records().append(TOPIC, 0, List.of(stored)).map(appended -> {
            long offset = appended.get(0).offset();
            byTopic.compute(p.topic(), (k, old) -> {
                if (old != null && old.offset() > offset) {
                    return old;
                }
                return clear ? null : new Entry(offset, p);
            });
            return null;
        });
    }

    /** Retained messages whose topic matches {@code filter} and whose MQTT 5 expiry interval has not passed. */
    List<Publication> matching(String filter) {
        List<Publication> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        byTopic.forEach((t, e) -> {
            if (e.publication().expired(now)) {
                byTopic.remove(t, e); // MQTT 5: an expired retained message is no longer sent
            } else if (TopicFilter.matches(filter, t)) {
                out.add(e.publication());
            }
        });
        return out;
    }

    int size() {
        return byTopic.size();
    }
}
