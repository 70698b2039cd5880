package io.tributary.gateway.mqtt;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MqttTopicFilterTest {

    @Test
    void wildcardsMatchAsMqttSays() {
        assertThat(TopicFilter.matches("a/+/c", "a/b/c")).isTrue();
        assertThat(TopicFilter.matches("a/+/c", "a/b/d")).isFalse();
        assertThat(TopicFilter.matches("a/+", "a/")).isTrue();
        assertThat(TopicFilter.matches("a/#", "a")).isTrue();
        assertThat(TopicFilter.matches("a/#", "a/b/c")).isTrue();
        assertThat(TopicFilter.matches("a/#", "ab")).isFalse();
        assertThat(TopicFilter.matches("#", "a/b")).isTrue();
        assertThat(TopicFilter.matches("+/+", "a/b")).isTrue();
        assertThat(TopicFilter.matches("+", "a/b")).isFalse();
        assertThat(TopicFilter.matches("a/b", "a/b/c")).isFalse();
        assertThat(TopicFilter.matches("#", "$SYS/x")).isFalse();
        assertThat(TopicFilter.matches("$SYS/#", "$SYS/x")).isTrue();
    }

    @Test
    void validatesNamesAndFilters() {
        assertThat(TopicFilter.isValidTopicName("a/b")).isTrue();
        assertThat(TopicFilter.isValidTopicName("a/+")).isFalse();
        assertThat(TopicFilter.isValidTopicName("a/#")).isFalse();
        assertThat(TopicFilter.isValidTopicName("")).isFalse();
        assertThat(TopicFilter.isValidTopicName("a\u0000b")).isFalse();
        assertThat(TopicFilter.isValidFilter("a/+/#")).isTrue();
        assertThat(TopicFilter.isValidFilter("a/#/b")).isFalse();
        assertThat(TopicFilter.isValidFilter("a/b+")).isFalse();
        assertThat(TopicFilter.isValidFilter("a#")).isFalse();
    }

    @Test
    void intersectionAndCoverage() {
        assertThat(TopicFilter.intersects("a/+/c", "a/b/#")).isTrue();
        assertThat(TopicFilter.intersects("a/b", "a/c")).isFalse();
        assertThat(TopicFilter.intersects("+/x", "y/+")).isTrue();
        assertThat(TopicFilter.covers("sensors/#", "sensors/+/t")).isTrue();
        assertThat(TopicFilter.covers("sensors/+/t", "sensors/#")).isFalse();
        assertThat(TopicFilter.covers("sensors/+", "sensors/a")).isTrue();
        assertThat(TopicFilter.covers("sensors/a", "sensors/+")).isFalse();
    }

    @Test
    void mappingChoosesKafkaTopicsAndMqttTopicsForRecords() {
        TopicMapping mapping = TopicMapping.parse(List.of("factory/+/temperature:temperatures"));
        assertThat(mapping.kafkaTopicFor("factory/l1/temperature")).isEqualTo("temperatures");
        assertThat(mapping.kafkaTopicFor("factory/l1/pressure")).isEqualTo("factory");
        assertThat(mapping.kafkaTopicFor("bad name/x")).isNull();
        assertThat(mapping.kafkaTopicFor("__mqtt_sessions/x")).isNull();
        assertThat(mapping.kafkaTopicsFor("factory/#", Set.of("factory", "temperatures", "other")))
                .containsExactlyInAnyOrder("factory", "temperatures");
        assertThat(mapping.kafkaTopicsFor("#", Set.of("a", "__mqtt_retained"))).containsExactly("a");
        byte[] mqttKey = "factory/l1/temperature".getBytes();
        assertThat(mapping.mqttTopicFor("temperatures", mqttKey)).isEqualTo("factory/l1/temperature");
        assertThat(mapping.mqttTopicFor("temperatures", "k1".getBytes())).isEqualTo("temperatures/k1");
        assertThat(mapping.mqttTopicFor("temperatures", null)).isEqualTo("temperatures");
        assertThat(mapping.mqttTopicFor("temperatures", new byte[]{(byte) 0xC3, 0x28})).isEqualTo("temperatures");
        assertThatThrownBy(() -> TopicMapping.parse(List.of("no-colon"))).isInstanceOf(IllegalArgumentException.class);
    }
}
