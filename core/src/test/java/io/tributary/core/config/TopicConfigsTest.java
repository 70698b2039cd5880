package io.tributary.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.config.TopicConfigValue.Source;
import io.tributary.storage.CleanupConfig;
import io.tributary.storage.LogConfig;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TopicConfigsTest {

    @Test
    void validOverridesPass() {
        assertThatCode(() -> TopicConfigs.validate(Map.ofEntries(
                Map.entry("retention.ms", "-1"),
                Map.entry("retention.bytes", "1048576"),
                Map.entry("segment.bytes", "14"),
                Map.entry("segment.ms", "1"),
                Map.entry("index.interval.bytes", "0"),
                Map.entry("max.message.bytes", "2000000"),
                Map.entry("message.timestamp.type", "LogAppendTime"),
                Map.entry("cleanup.policy", "compact,delete"),
                Map.entry("flush.messages", "1"),
                Map.entry("flush.ms", "0"),
                Map.entry("delete.retention.ms", "0"),
                Map.entry("min.insync.replicas", "2"),
                Map.entry("compression.type", "zstd"),
                Map.entry("min.compaction.lag.ms", "10"),
                Map.entry("max.compaction.lag.ms", "20"),
                Map.entry("min.cleanable.dirty.ratio", "0.1"),
                Map.entry("unclean.leader.election.enable", "true")))).doesNotThrowAnyException();
        assertThatCode(() -> TopicConfigs.validate(Map.of())).doesNotThrowAnyException();
    }

    static Stream<Arguments> badOverrides() {
        return Stream.of(
                Arguments.of("retention.ms", "-2"),
                Arguments.of("retention.ms", "forever"),
                Arguments.of("retention.bytes", "-2"),
                Arguments.of("segment.bytes", "13"),
                Arguments.of("segment.ms", "0"),
                Arguments.of("index.interval.bytes", "-1"),
                Arguments.of("max.message.bytes", "-1"),
                Arguments.of("message.timestamp.type", "NowTime"),
                Arguments.of("cleanup.policy", "delete,forget"),
                Arguments.of("cleanup.policy", ""),
                Arguments.of("flush.messages", "0"),
                Arguments.of("flush.ms", "-1"),
                Arguments.of("delete.retention.ms", "-1"),
                Arguments.of("min.insync.replicas", "0"),
                Arguments.of("compression.type", "none"),
                Arguments.of("min.compaction.lag.ms", "-1"),
                Arguments.of("max.compaction.lag.ms", "0"),
                Arguments.of("min.cleanable.dirty.ratio", "1.01"),
                Arguments.of("unclean.leader.election.enable", "maybe"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badOverrides")
    void invalidOverrideNamesTheKey(String key, String value) {
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid value '" + value + "' for '" + key + "': must be ")
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key));
    }

    @Test
    void unknownTopicKeySuggestsClosest() {
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("retention.msec", "1")))
                .hasMessage("Unknown config 'retention.msec'; did you mean 'retention.ms'?");
        // A broker key used on a topic points at the topic key.
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("log.retention.ms", "1")))
                .hasMessage("Unknown config 'log.retention.ms'; did you mean 'retention.ms'?");
    }

    @Test
    void compactionLagsMustBeOrdered() {
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("min.compaction.lag.ms", "30", "max.compaction.lag.ms", "20")))
                .hasMessageContaining("'min.compaction.lag.ms'").hasMessageContaining("max.compaction.lag.ms");
    }

    @Test
    void describeReportsValuesAndSources() {
        BrokerConfig broker = BrokerConfig.parse(Map.of("log.retention.hours", "1", "log.segment.bytes", "1000"));
        Map<String, TopicConfigValue> d = TopicConfigs.describe(Map.of("segment.bytes", "2000", "cleanup.policy", "compact"), broker);

        assertThat(d.keySet()).containsExactlyElementsOf(TopicConfigs.DEFINITION.names());
        assertThat(d.get("segment.bytes")).isEqualTo(new TopicConfigValue("segment.bytes", "2000", Source.TOPIC_OVERRIDE,
                false, false, TopicConfigs.DEFINITION.key("segment.bytes").documentation(), "INT"));
        assertThat(d.get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(d.get("cleanup.policy").source()).isEqualTo(Source.TOPIC_OVERRIDE);
        assertThat(d.get("cleanup.policy").type()).isEqualTo("LIST");
        assertThat(d.get("retention.ms").value()).isEqualTo("3600000");
        assertThat(d.get("retention.ms").source()).isEqualTo(Source.BROKER_DEFAULT);
        assertThat(d.get("retention.ms").type()).isEqualTo("LONG");
        assertThat(d.get("retention.bytes").value()).isEqualTo("-1");
        assertThat(d.get("retention.bytes").source()).isEqualTo(Source.DEFAULT);
        assertThat(d.get("flush.messages").value()).isEqualTo(Long.toString(Long.MAX_VALUE));
        assertThat(d.get("min.cleanable.dirty.ratio").value()).isEqualTo("0.5");
        assertThat(d.get("unclean.leader.election.enable").value()).isEqualTo("false");
        assertThat(d.get("unclean.leader.election.enable").type()).isEqualTo("BOOLEAN");
        assertThat(d.values()).allSatisfy(v -> {
            assertThat(v.isSensitive()).isFalse();
            assertThat(v.readOnly()).isFalse();
            assertThat(v.documentation()).isNotBlank();
        });
    }

    @Test
    void describeWithDefaultBrokerEqualsKafkaDefaults() {
        Map<String, TopicConfigValue> d = TopicConfigs.describe(Map.of(), BrokerConfig.defaults());
        assertThat(d.values()).allSatisfy(v -> assertThat(v.source()).isEqualTo(Source.DEFAULT));
        assertThat(d.get("retention.ms").value()).isEqualTo("604800000");
        assertThat(d.get("segment.bytes").value()).isEqualTo("1073741824");
        assertThat(d.get("segment.ms").value()).isEqualTo("604800000");
        assertThat(d.get("max.message.bytes").value()).isEqualTo("1048588");
        assertThat(d.get("message.timestamp.type").value()).isEqualTo("CreateTime");
        assertThat(d.get("cleanup.policy").value()).isEqualTo("delete");
        assertThat(d.get("compression.type").value()).isEqualTo("producer");
        // The topic table's own defaults agree with the broker's.
        for (ConfigKey key : TopicConfigs.DEFINITION.keys()) {
            assertThat(d.get(key.name()).value()).as(key.name()).isEqualTo(key.defaultString());
        }
    }

    @Test
    void toLogConfigFromBrokerDefaults() {
        assertThat(TopicConfigs.toLogConfig(Map.of(), BrokerConfig.defaults())).isEqualTo(LogConfig.DEFAULT);
    }

    @Test
    void toLogConfigMapsOverridesAndBrokerKeys() {
        BrokerConfig broker = BrokerConfig.parse(Map.of("log.roll.hours", "1", "log.flush.interval.messages", "10",
                "message.max.bytes", "5000"));
        LogConfig c = TopicConfigs.toLogConfig(Map.of("segment.bytes", "4096", "index.interval.bytes", "128",
                "message.timestamp.type", "LogAppendTime", "flush.ms", "1000"), broker);
        assertThat(c).isEqualTo(new LogConfig(4096, 3_600_000L, 128, 5000, true, 10L, 1000L, CleanupConfig.DEFAULT));
    }

    @Test
    void toLogConfigMapsRetentionAndCleanup() {
        BrokerConfig broker = BrokerConfig.parse(Map.of("log.retention.bytes", "1000000", "log.retention.minutes", "5",
                "log.cleaner.min.cleanable.ratio", "0.25"));
        CleanupConfig c = TopicConfigs.toLogConfig(Map.of("cleanup.policy", "compact,delete", "delete.retention.ms", "7",
                "min.compaction.lag.ms", "8", "max.compaction.lag.ms", "9"), broker).cleanup();
        assertThat(c).isEqualTo(new CleanupConfig(true, true, 300_000L, 1_000_000L, 7L, 8L, 9L, 0.25));

        CleanupConfig unlimited = TopicConfigs.toLogConfig(Map.of("retention.ms", "-1", "cleanup.policy", "compact"),
                BrokerConfig.defaults()).cleanup();
        assertThat(unlimited.retentionMs()).isEqualTo(-1L);
        assertThat(unlimited.retentionBytes()).isEqualTo(-1L);
        assertThat(unlimited.delete()).isFalse();
        assertThat(unlimited.compact()).isTrue();
        assertThat(TopicConfigs.toLogConfig(Map.of(), BrokerConfig.parse(Map.of("log.retention.hours", "-1")))
                .cleanup().retentionMs()).isEqualTo(-1L);
    }

    @Test
    void toLogConfigRefusesBadOverrides() {
        assertThatThrownBy(() -> TopicConfigs.toLogConfig(Map.of("segment.bytes", "1"), BrokerConfig.defaults()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'segment.bytes'");
    }
}
