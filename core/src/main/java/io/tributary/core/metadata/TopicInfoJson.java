package io.tributary.core.metadata;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.Uuid;

import java.util.List;
import java.util.Map;

/**
 * The JSON form of a topic, used both on disk (topics.json) and in the cluster's replicated metadata map.
 * Files written before partition states existed have none: their partitions are this broker's alone.
 */
public final class TopicInfoJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TopicInfoJson() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Stored(String name, String id, int partitions, Map<String, String> configs, List<PartitionState> states) {
    }

    static Stored toStored(TopicInfo topic) {
        return new Stored(topic.name(), topic.id().toString(), topic.partitionCount(), topic.configs(),
                topic.partitions());
    }

    static TopicInfo fromStored(Stored stored, int nodeId) {
        Uuid id = Uuid.fromString(stored.id());
        if (stored.states() == null || stored.states().isEmpty()) {
            return TopicInfo.single(stored.name(), id, stored.partitions(), stored.configs(), nodeId);
        }
        return new TopicInfo(stored.name(), id, stored.states(), stored.configs());
    }

    public static String encode(TopicInfo topic) {
        try {
            return JSON.writeValueAsString(toStored(topic));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode topic " + topic.name(), e);
        }
    }

    public static TopicInfo decode(String json) {
        try {
            return fromStored(JSON.readValue(json, Stored.class), PartitionState.NO_LEADER);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Malformed topic metadata: " + e.getOriginalMessage(), e);
        }
    }
}
