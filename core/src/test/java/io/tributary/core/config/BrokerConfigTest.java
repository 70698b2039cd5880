package io.tributary.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BrokerConfigTest {

    @Test
    void defaults() {
        BrokerConfig c = BrokerConfig.defaults();
        assertThat(c.nodeId()).isZero();
        assertThat(c.listeners()).containsExactly(new Listener("PLAINTEXT", "127.0.0.1", 9092));
        assertThat(c.advertisedListeners()).containsExactly(new Listener("PLAINTEXT", "127.0.0.1", 9092));
        assertThat(c.logDirs()).containsExactly(Path.of("./data"));
        assertThat(c.numPartitions()).isEqualTo(1);
        assertThat(c.defaultReplicationFactor()).isEqualTo((short) 1);
        assertThat(c.autoCreateTopicsEnable()).isTrue();
        assertThat(c.socketRequestMaxBytes()).isEqualTo(104857600);
        assertThat(c.numNetworkThreads()).isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        assertThat(c.logRetentionCheckIntervalMs()).isEqualTo(300000L);
        assertThat(c.clusterIdOverride()).isNull();
        assertThat(c.groupInitialRebalanceDelayMs()).isEqualTo(3000L);
        assertThat(c.offsetsTopicNumPartitions()).isEqualTo(16);
        assertThat(c.originals()).isEmpty();

        assertThat(c.logRetentionMs()).isEqualTo(604800000L);
        assertThat(c.logRetentionBytes()).isEqualTo(-1L);
        assertThat(c.logSegmentBytes()).isEqualTo(1073741824);
        assertThat(c.logRollMs()).isEqualTo(604800000L);
        assertThat(c.logIndexIntervalBytes()).isEqualTo(4096);
        assertThat(c.messageMaxBytes()).isEqualTo(1048588);
        assertThat(c.logMessageTimestampType()).isEqualTo("CreateTime");
        assertThat(c.logCleanupPolicy()).containsExactly("delete");
        assertThat(c.logFlushIntervalMessages()).isEqualTo(Long.MAX_VALUE);
        assertThat(c.logFlushIntervalMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(c.logCleanerDeleteRetentionMs()).isEqualTo(86400000L);
        assertThat(c.minInsyncReplicas()).isEqualTo(1);
        assertThat(c.compressionType()).isEqualTo("producer");
        assertThat(c.uncleanLeaderElectionEnable()).isFalse();
    }

    @Test
    void parsesExplicitValues() {
        BrokerConfig c = BrokerConfig.parse(Map.ofEntries(
                Map.entry("node.id", "3"),
                Map.entry("log.dirs", "/a, /b"),
                Map.entry("num.partitions", "6"),
                Map.entry("default.replication.factor", "3"),
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("num.network.threads", "2"),
                Map.entry("cluster.id", "MkU3OEVBNTcwNTJENDM2Qk"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("log.cleanup.policy", "compact,delete"),
                Map.entry("log.message.timestamp.type", "LogAppendTime")));
        assertThat(c.nodeId()).isEqualTo(3);
        assertThat(c.logDirs()).containsExactly(Path.of("/a"), Path.of("/b"));
        assertThat(c.numPartitions()).isEqualTo(6);
        assertThat(c.defaultReplicationFactor()).isEqualTo((short) 3);
        assertThat(c.autoCreateTopicsEnable()).isFalse();
        assertThat(c.numNetworkThreads()).isEqualTo(2);
        assertThat(c.clusterIdOverride()).isEqualTo("MkU3OEVBNTcwNTJENDM2Qk");
        assertThat(c.groupInitialRebalanceDelayMs()).isZero();
        assertThat(c.logCleanupPolicy()).containsExactly("compact", "delete");
        assertThat(c.logMessageTimestampType()).isEqualTo("LogAppendTime");
        assertThat(c.isSet("node.id")).isTrue();
        assertThat(c.isSet("log.retention.ms")).isFalse();
        assertThat(c.originals()).containsEntry("node.id", "3");
    }

    @Test
    void logDirFallsBackWhenLogDirsUnset() {
        assertThat(BrokerConfig.parse(Map.of("log.dir", "/var/lib/t")).logDirs()).containsExactly(Path.of("/var/lib/t"));
        assertThat(BrokerConfig.parse(Map.of("log.dir", "/x", "log.dirs", "/y")).logDirs()).containsExactly(Path.of("/y"));
    }

    @Test
    void retentionAndRollUnits() {
        assertThat(BrokerConfig.parse(Map.of("log.retention.hours", "1")).logRetentionMs()).isEqualTo(3_600_000L);
        assertThat(BrokerConfig.parse(Map.of("log.retention.minutes", "2", "log.retention.hours", "1")).logRetentionMs())
                .isEqualTo(120_000L);
        assertThat(BrokerConfig.parse(Map.of("log.retention.ms", "5", "log.retention.minutes", "2")).logRetentionMs())
                .isEqualTo(5L);
        assertThat(BrokerConfig.parse(Map.of("log.retention.ms", "-1")).logRetentionMs()).isEqualTo(-1L);
        assertThat(BrokerConfig.parse(Map.of("log.retention.hours", "-1")).logRetentionMs()).isEqualTo(-1L);
        assertThat(BrokerConfig.parse(Map.of("log.roll.hours", "2")).logRollMs()).isEqualTo(7_200_000L);
        assertThat(BrokerConfig.parse(Map.of("log.roll.ms", "10", "log.roll.hours", "2")).logRollMs()).isEqualTo(10L);
    }

    @Test
    void listenersAndAdvertisedDefault() {
        BrokerConfig c = BrokerConfig.parse(Map.of("listeners", "PLAINTEXT://0.0.0.0:9092,INTERNAL://:9093,LOCAL://127.0.0.1:0",
                        "listener.security.protocol.map", "INTERNAL:PLAINTEXT,LOCAL:PLAINTEXT"),
                () -> "broker-7.example");
        assertThat(c.listeners()).containsExactly(new Listener("PLAINTEXT", "0.0.0.0", 9092),
                new Listener("INTERNAL", "", 9093), new Listener("LOCAL", "127.0.0.1", 0));
        assertThat(c.advertisedListeners()).containsExactly(new Listener("PLAINTEXT", "broker-7.example", 9092),
                new Listener("INTERNAL", "broker-7.example", 9093), new Listener("LOCAL", "127.0.0.1", 0));
    }

    @Test
    void explicitAdvertisedListeners() {
        BrokerConfig c = BrokerConfig.parse(Map.of("listeners", "PLAINTEXT://0.0.0.0:9092",
                "advertised.listeners", "PLAINTEXT://kafka.example.com:19092"));
        assertThat(c.advertisedListeners()).containsExactly(new Listener("PLAINTEXT", "kafka.example.com", 19092));
        // Empty means "not set".
        assertThat(BrokerConfig.parse(Map.of("advertised.listeners", "")).advertisedListeners())
                .containsExactly(new Listener("PLAINTEXT", "127.0.0.1", 9092));
    }

    @Test
    void defaultAdvertisedHostIsCanonicalLocalHost() {
        BrokerConfig c = BrokerConfig.parse(Map.of("listeners", "PLAINTEXT://:0"));
        assertThat(c.advertisedListeners().get(0).host()).isNotEmpty().isNotEqualTo("0.0.0.0");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("node.id", "-1", "must be an integer >= 0"),
                Arguments.of("node.id", "one", "must be an integer >= 0"),
                Arguments.of("num.partitions", "abc", "must be an integer >= 1"),
                Arguments.of("num.partitions", "0", "must be an integer >= 1"),
                Arguments.of("default.replication.factor", "40000", "must be an integer >= 1"),
                Arguments.of("auto.create.topics.enable", "yes", "must be true or false"),
                Arguments.of("socket.request.max.bytes", "0", "must be an integer >= 1"),
                Arguments.of("socket.send.buffer.bytes", "-2", "must be an integer >= -1"),
                Arguments.of("num.network.threads", "0", "must be an integer >= 1"),
                Arguments.of("log.retention.check.interval.ms", "0", "must be an integer >= 1"),
                Arguments.of("cluster.id", " ", "must be a non-empty string"),
                Arguments.of("group.initial.rebalance.delay.ms", "-5", "must be an integer >= 0"),
                Arguments.of("offsets.topic.num.partitions", "0", "must be an integer >= 1"),
                Arguments.of("log.retention.ms", "-2", "must be an integer >= -1"),
                Arguments.of("log.retention.minutes", "x", "must be an integer >= -1"),
                Arguments.of("log.retention.hours", "1.5", "must be an integer >= -1"),
                Arguments.of("log.retention.bytes", "-2", "must be an integer >= -1"),
                Arguments.of("log.segment.bytes", "13", "must be an integer >= 14"),
                Arguments.of("log.roll.ms", "0", "must be an integer >= 1"),
                Arguments.of("log.roll.hours", "0", "must be an integer >= 1"),
                Arguments.of("log.index.interval.bytes", "-1", "must be an integer >= 0"),
                Arguments.of("message.max.bytes", "-1", "must be an integer >= 0"),
                Arguments.of("log.message.timestamp.type", "createtime", "must be one of CreateTime, LogAppendTime"),
                Arguments.of("log.cleanup.policy", "", "must be a non-empty comma-separated list of delete, compact"),
                Arguments.of("log.flush.interval.messages", "0", "must be an integer >= 1"),
                Arguments.of("log.flush.interval.ms", "-1", "must be an integer >= 0"),
                Arguments.of("log.cleaner.delete.retention.ms", "-1", "must be an integer >= 0"),
                Arguments.of("log.cleaner.min.cleanable.ratio", "2", "must be a number between 0 and 1"),
                Arguments.of("min.insync.replicas", "0", "must be an integer >= 1"),
                Arguments.of("compression.type", "brotli", "must be one of uncompressed, zstd, lz4, snappy, gzip, producer"),
                Arguments.of("unclean.leader.election.enable", "1", "must be true or false"),
                Arguments.of("log.dirs", "", "must name at least one directory"),
                Arguments.of("log.dir", "", "must be a non-empty string"),
                Arguments.of("listeners", "", "must name at least one listener"),
                Arguments.of("listeners", "localhost:9092", "expected NAME://host:port"),
                Arguments.of("listeners", "CLIENT://:9093", "listener CLIENT has no security protocol"),
                Arguments.of("listener.security.protocol.map", "CLIENT:TLS", "is not NAME:PROTOCOL"),
                Arguments.of("listeners", "PLAINTEXT://:9092,PLAINTEXT://:9093", "listener name PLAINTEXT is used twice"),
                Arguments.of("listeners", "A://:9092,B://:9092", "port 9092 is used twice"),
                Arguments.of("advertised.listeners", "OTHER://h:1", "not one of the names in listeners"),
                Arguments.of("advertised.listeners", "PLAINTEXT://0.0.0.0:9092", "must advertise a host clients can reach"),
                Arguments.of("advertised.listeners", "PLAINTEXT://h:0", "must advertise a port"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValues")
    void everyValidationFailureNamesTheKey(String key, String value, String reason) {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid value '" + value + "' for '" + key + "': ")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key));
    }

    @Test
    void unknownKeySuggestsClosest() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("log.dirz", "/x")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Unknown config 'log.dirz'; did you mean 'log.dirs'?");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("auto.create.topic.enable", "true")))
                .hasMessageContaining("did you mean 'auto.create.topics.enable'?");
    }

    @Test
    void everyDefinedDefaultParsesBack() {
        for (ConfigKey key : BrokerConfigDef.DEFINITION.keys()) {
            if (key.defaultValue() != null) {
                assertThat(key.parse(key.defaultString())).as(key.name()).isEqualTo(key.defaultValue());
            }
        }
    }

    @Test
    void originalsAreKeptAsGiven() {
        BrokerConfig c = BrokerConfig.parse(Map.of("num.partitions", " 4"));
        assertThat(c.originals()).isEqualTo(Map.of("num.partitions", " 4"));
        assertThat(c).isEqualTo(BrokerConfig.parse(Map.of("num.partitions", " 4")));
        assertThat(List.copyOf(c.originals().keySet())).containsExactly("num.partitions");
    }

    @Test
    void theDefaultEventLoopsAreHalfTheProcessorsAndAtLeastOne() {
        assertThat(BrokerConfig.defaultNetworkThreads(1)).isEqualTo(1);
        assertThat(BrokerConfig.defaultNetworkThreads(2)).isEqualTo(1);
        assertThat(BrokerConfig.defaultNetworkThreads(3)).isEqualTo(1);
        assertThat(BrokerConfig.defaultNetworkThreads(8)).isEqualTo(4);
    }
}
