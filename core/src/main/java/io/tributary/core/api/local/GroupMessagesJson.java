package io.tributary.core.api.local;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.tributary.core.group.Assignment;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of the group coordinator's request and result records, for calls between members: topic
 * partitions as "topic/partition" (also as map keys), topic ids as strings, assignments as id -> partitions.
 */
final class GroupMessagesJson {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new SimpleModule()
            .addSerializer(TopicPartition.class, new JsonSerializer<>() {
                @Override
                public void serialize(TopicPartition tp, JsonGenerator gen, SerializerProvider sp) throws IOException {
                    gen.writeString(key(tp));
                }
            })
            .addKeySerializer(TopicPartition.class, new JsonSerializer<>() {
                @Override
                public void serialize(TopicPartition tp, JsonGenerator gen, SerializerProvider sp) throws IOException {
                    gen.writeFieldName(key(tp));
                }
            })
            .addDeserializer(TopicPartition.class, new JsonDeserializer<>() {
                @Override
                public TopicPartition deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                    return parse(p.getValueAsString());
                }
            })
            .addKeyDeserializer(TopicPartition.class, new KeyDeserializer() {
                @Override
                public Object deserializeKey(String key, DeserializationContext ctx) {
                    return parse(key);
                }
            })
            .addSerializer(Assignment.class, new JsonSerializer<>() {
                @Override
                public void serialize(Assignment a, JsonGenerator gen, SerializerProvider sp) throws IOException {
                    gen.writeStartObject();
                    for (Uuid topic : a.topics()) {
                        gen.writeArrayFieldStart(topic.toString());
                        for (int p : a.partitions(topic)) {
                            gen.writeNumber(p);
                        }
                        gen.writeEndArray();
                    }
                    gen.writeEndObject();
                }
            })
            .addDeserializer(Assignment.class, new JsonDeserializer<>() {
                @Override
                public Assignment deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                    Map<String, List<Integer>> raw = p.readValueAs(new TypeReference<Map<String, List<Integer>>>() {
                    });
                    Map<Uuid, List<Integer>> byId = new TreeMap<>();
                    raw.forEach((id, partitions) -> byId.put(Uuid.fromString(id), partitions));
                    return Assignment.of(byId);
                }
            }));

    private GroupMessagesJson() {
    }

    static String encode(Object message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    static <T> T decode(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Malformed " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private static String key(TopicPartition tp) {
        return tp.topic() + "/" + tp.partition();
    }

    private static TopicPartition parse(String key) {
        int slash = key.lastIndexOf('/');
        return new TopicPartition(key.substring(0, slash), Integer.parseInt(key.substring(slash + 1)));
    }
}
