package io.tributary.connect.state;

import io.tributary.connect.runtime.BrokerBridge;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Source offsets in the compacted topic __connect_offsets, in Kafka Connect's own format: the key is the
 * schemaless JSON array [connector, partition], the value the offset map. Entries are found by the
 * serialized key, as Kafka does, so an Integer and a Long partition value never look like different keys
 * to one side and the same to the other.
 */
public final class OffsetStore {

    public static final String TOPIC = "__connect_offsets";

    private final CompactedTopic topic;
    private final JsonConverter json = new JsonConverter();
    /** Serialized key -> offset map (absent once deleted). */
    private final Map<String, Map<String, Object>> offsets = new ConcurrentHashMap<>();
    /** Serialized key -> log offset of this member's latest write of it. */
    private final Map<String, Long> writtenAt = new ConcurrentHashMap<>();

    public OffsetStore(BrokerBridge bridge) {
        this.topic = new CompactedTopic(bridge, TOPIC);
        json.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), false);
    }

    public void load() throws InterruptedException {
        topic.ensure();
        topic.whenReadable(this::catchUp);
    }

    /**
     * Applies offsets written since the last call, by this member or another one (a task that moved here
     * continues from its previous member's last stored offsets). Not concurrently with itself.
     */
    public synchronized void catchUp() throws InterruptedException {
        topic.catchUp((key, value, offset) -> {
            synchronized (writtenAt) {
                Long written = writtenAt.get(key);
                if (written != null && written > offset) {
                    return; // this member already wrote a newer offset for it: never step back, not even briefly
                }
                if (value == null) {
                    offsets.remove(key);
                } else {
                    offsets.put(key, decode(value));
                }
            }
        });
    }

    public Map<String, Object> offset(String connector, Map<String, ?> partition) {
        return offsets.get(key(connector, partition));
    }

    /** Writes the latest offsets of some partitions and waits until they are stored. */
    public void write(String connector, Map<Map<String, ?>, Map<String, ?>> latest) throws InterruptedException {
        for (Map.Entry<Map<String, ?>, Map<String, ?>> e : latest.entrySet()) {
            String key = key(connector, e.getKey());
            byte[] value = e.getValue() == null ? null : json.fromConnectData(TOPIC, null, e.getValue());
            long offset = topic.write(key, value);
            synchronized (writtenAt) {
                writtenAt.put(key, offset);
                if (value == null) {
                    offsets.remove(key);
                } else {
                    offsets.put(key, decode(value));
                }
            }
        }
    }

    /** Every partition and offset of a connector, for the REST API's offsets endpoint. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> offsetsOf(String connector) {
        List<Map<String, Object>> result = new ArrayList<>();
        offsets.forEach((key, offset) -> {
            Object parsed = json.toConnectData(TOPIC, key.getBytes(StandardCharsets.UTF_8)).value();
            if (parsed instanceof List<?> parts && parts.size() == 2 && connector.equals(parts.get(0))) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("partition", parts.get(1));
                entry.put("offset", offset);
                result.add(entry);
            }
        });
        return result;
    }

    /** Forgets a deleted connector's offsets, so a new connector of the same name starts afresh. */
    @SuppressWarnings("unchecked")
    public void removeAll(String connector) throws InterruptedException {
        Map<Map<String, ?>, Map<String, ?>> tombstones = new HashMap<>();
        for (Map<String, Object> entry : offsetsOf(connector)) {
            tombstones.put((Map<String, ?>) entry.get("partition"), null);
        }
        write(connector, tombstones);
    }

    private String key(String connector, Map<String, ?> partition) {
        return new String(json.fromConnectData(TOPIC, null, Arrays.asList(connector, partition)), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> decode(byte[] value) {
        Object parsed = json.toConnectData(TOPIC, value).value();
        return parsed instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
    }
}
