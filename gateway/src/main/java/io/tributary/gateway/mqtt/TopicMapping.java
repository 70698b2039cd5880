package io.tributary.gateway.mqtt;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which Kafka topic an MQTT topic lives in, and back: the first configured mapping whose filter matches wins,
 * otherwise the MQTT topic's first level names the Kafka topic.
 */
final class TopicMapping {

    /** One configured {@code filter:kafka-topic} pair. */
    record Rule(String filter, String kafkaTopic) {
    }

    private final List<Rule> rules;

    TopicMapping(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Parses {@code filter:kafka-topic} entries; the last colon separates them since Kafka names have none. */
    static TopicMapping parse(List<String> entries) {
        List<Rule> rules = new ArrayList<>();
        for (String entry : entries) {
            int colon = entry.lastIndexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new IllegalArgumentException("mqtt.topic.mappings: '" + entry + "' is not filter:kafka-topic");
            }
            String filter = entry.substring(0, colon).trim();
            String topic = entry.substring(colon + 1).trim();
            if (!TopicFilter.isValidFilter(filter) || !isLegalKafkaTopic(topic)) {
                throw new IllegalArgumentException("mqtt.topic.mappings: '" + entry
                        + "' needs a valid MQTT filter and a legal Kafka topic name");
            }
            rules.add(new Rule(filter, topic));
        }
        return new TopicMapping(rules);
    }

    static boolean isLegalKafkaTopic(String name) {
        // A character loop rather than KAFKA_TOPIC's regex: this runs for every PUBLISH.
        int n = name.length();
        if (n == 0 || n > 249 || name.equals(".") || name.equals("..") || name.startsWith("__")) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** The Kafka topic for a publish, or null when the topic maps to no legal, non-internal Kafka topic. */
    String kafkaTopicFor(String mqttTopic) {
        for (Rule rule : rules) {
            if (TopicFilter.matches(rule.filter(), mqttTopic)) {
                return rule.kafkaTopic();
            }
        }
        String first = TopicFilter.firstLevel(mqttTopic);
        return isLegalKafkaTopic(first) ? first : null;
    }

    /** The existing Kafka topics that may hold messages matching {@code filter}. */
    Set<String> kafkaTopicsFor(String filter, Collection<String> existingTopics) {
        Set<String> out = new LinkedHashSet<>();
        for (Rule rule : rules) {
            if (TopicFilter.intersects(filter, rule.filter()) && existingTopics.contains(rule.kafkaTopic())) {
                out.add(rule.kafkaTopic());
            }
        }
        String first = TopicFilter.firstLevel(filter);
        if (first.equals("+") || first.equals("#")) {
            for (String topic : existingTopics) {
                if (!topic.startsWith("__")) {
                    out.add(topic);
                }
            }
        } else if (existingTopics.contains(first)) {
            out.add(first);
        }
        return out;
    }

    /**
     * The MQTT topic a record of {@code kafkaTopic} is delivered under: its key when the key is an MQTT topic
     * that maps to this Kafka topic (an MQTT publish), else {@code <kafka-topic>/<key>}, or the Kafka topic
     * alone for a record without a usable key.
     */
    String mqttTopicFor(String kafkaTopic, byte[] key) {
        String text = key == null || key.length == 0 ? null : utf8(key);
        if (text == null) {
            return kafkaTopic;
        }
        if (TopicFilter.isValidTopicName(text) && kafkaTopic.equals(kafkaTopicFor(text))) {
            return text;
        }
        String nested = kafkaTopic + "/" + text;
        return TopicFilter.isValidTopicName(nested) ? nested : kafkaTopic;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
