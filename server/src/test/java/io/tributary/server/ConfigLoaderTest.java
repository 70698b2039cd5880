package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        Path f = dir.resolve("tributary.properties");
        Files.writeString(f, content);
        return f;
    }

    @Test
    void nothingGivenIsEmpty() {
        assertThat(ConfigLoader.load(Optional.empty(), Map.of(), List.of())).isEmpty();
    }

    @Test
    void precedenceFileThenEnvThenOverride() throws IOException {
        Path f = file("""
                # comment
                node.id=1
                num.partitions=2
                log.dirs=/from/file
                """);
        Map<String, String> env = Map.of("TRIBUTARY_NUM_PARTITIONS", "3", "TRIBUTARY_LOG_DIRS", "/from/env");
        Map<String, String> merged = ConfigLoader.load(Optional.of(f), env, List.of("log.dirs=/from/override"));
        assertThat(merged).isEqualTo(Map.of("node.id", "1", "num.partitions", "3", "log.dirs", "/from/override"));
    }

    @Test
    void envNamesMapToKeys() {
        Map<String, String> env = Map.of(
                "TRIBUTARY_LOG_DIRS", "/d",
                "TRIBUTARY_AUTO_CREATE_TOPICS_ENABLE", "false",
                "TRIBUTARY_ADVERTISED_LISTENERS", "PLAINTEXT://h:1",
                "KAFKA_NUM_PARTITIONS", "9",
                "PATH", "/usr/bin");
        assertThat(ConfigLoader.fromEnv(env)).isEqualTo(Map.of(
                "log.dirs", "/d", "auto.create.topics.enable", "false", "advertised.listeners", "PLAINTEXT://h:1"));
        assertThat(ConfigLoader.envName("log.retention.check.interval.ms")).isEqualTo("TRIBUTARY_LOG_RETENTION_CHECK_INTERVAL_MS");
    }

    @Test
    void envThatNamesNoKeyIsIgnoredAndReported() {
        // Kubernetes service links for a service named "tributary" look like this.
        Map<String, String> env = Map.of("TRIBUTARY_PORT", "tcp://10.0.0.1:9092", "TRIBUTARY_NUM_PARTITON", "3",
                "TRIBUTARY_NODE_ID", "4", "OTHER", "x");
        assertThat(ConfigLoader.load(Optional.empty(), env, List.of())).isEqualTo(Map.of("node.id", "4"));
        assertThat(ConfigLoader.unmatchedEnv(env)).containsExactly("TRIBUTARY_NUM_PARTITON", "TRIBUTARY_PORT");
    }

    @Test
    void theLaunchersSettingsAreNeitherConfigNorReported() {
        Map<String, String> env = Map.of("TRIBUTARY_JAVA_OPTS", "-Xmx1g", "TRIBUTARY_CDS_ARCHIVE", "",
                "TRIBUTARY_JAR", "/opt/tributary.jar", "TRIBUTARY_CDS", "0");
        assertThat(ConfigLoader.load(Optional.empty(), env, List.of())).isEmpty();
        assertThat(ConfigLoader.unmatchedEnv(env)).containsExactly("TRIBUTARY_CDS");
    }

    @Test
    void overridesKeepEverythingAfterTheFirstEquals() {
        assertThat(ConfigLoader.parseOverrides(List.of("cluster.id=a=b", " node.id =7", "advertised.listeners=")))
                .containsExactly(Map.entry("cluster.id", "a=b"), Map.entry("node.id", "7"), Map.entry("advertised.listeners", ""));
        assertThat(ConfigLoader.parseOverrides(List.of("num.partitions=1", "num.partitions=2")))
                .isEqualTo(Map.of("num.partitions", "2"));
    }

    @Test
    void malformedOverrideIsRefused() {
        assertThatThrownBy(() -> ConfigLoader.parseOverrides(List.of("num.partitions")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid --override 'num.partitions': expected key=value");
        assertThatThrownBy(() -> ConfigLoader.parseOverrides(List.of("=3")))
                .hasMessage("Invalid --override '=3': expected key=value");
    }

    @Test
    void missingFileIsAConfigError() {
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(missing), Map.of(), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Cannot read config file '" + missing + "': no such file");
    }

    @Test
    void fileIsReadAsUtf8() throws IOException {
        assertThat(ConfigLoader.readFile(file("log.dirs=/données\n"))).containsEntry("log.dirs", "/données");
    }

    @Test
    void unknownKeyOrBadValueFromAnySourceFailsParse() throws IOException {
        Map<String, String> fromFile = ConfigLoader.load(Optional.of(file("num.partiton=3\n")), Map.of(), List.of());
        assertThatThrownBy(() -> BrokerConfig.parse(fromFile))
                .hasMessage("Unknown config 'num.partiton'; did you mean 'num.partitions'?");
        Map<String, String> fromEnv = ConfigLoader.load(Optional.empty(), Map.of("TRIBUTARY_NUM_PARTITIONS", "abc"), List.of());
        assertThatThrownBy(() -> BrokerConfig.parse(fromEnv))
                .hasMessage("Invalid value 'abc' for 'num.partitions': must be an integer >= 1");
        Map<String, String> fromOverride = ConfigLoader.load(Optional.empty(), Map.of(), List.of("log.segment.bytes=1"));
        assertThatThrownBy(() -> BrokerConfig.parse(fromOverride))
                .hasMessage("Invalid value '1' for 'log.segment.bytes': must be an integer >= 14");
    }

    @Test
    void shippedPropertiesFileDocumentsEveryKeyWithItsDefault() throws IOException {
        // conf/tributary.properties lists each key commented out as "#key=default".
        Path shipped = Path.of("..", "conf", "tributary.properties");
        Map<String, String> documented = new java.util.LinkedHashMap<>();
        for (String line : Files.readAllLines(shipped)) {
            var m = java.util.regex.Pattern.compile("^#([a-z][a-z0-9.]*)=(.*)$").matcher(line);
            if (m.matches()) {
                documented.put(m.group(1), m.group(2));
            }
        }
        assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(
                io.tributary.core.config.BrokerConfigDef.DEFINITION.names());
        // Uncommented, the documented values form a valid config (keys without a fixed default are left empty).
        Map<String, String> effective = new java.util.HashMap<>(documented);
        effective.values().removeIf(String::isEmpty);
        BrokerConfig parsed = BrokerConfig.parse(effective);
        BrokerConfig defaults = BrokerConfig.defaults();
        assertThat(parsed.listeners()).isEqualTo(defaults.listeners());
        assertThat(parsed.logDirs()).isEqualTo(defaults.logDirs());
        assertThat(parsed.logRetentionMs()).isEqualTo(defaults.logRetentionMs());
        assertThat(parsed.logRollMs()).isEqualTo(defaults.logRollMs());
        for (var key : io.tributary.core.config.BrokerConfigDef.DEFINITION.keys()) {
            if (key.defaultValue() != null) {
                assertThat(documented.get(key.name())).as(key.name()).isEqualTo(key.defaultString());
            }
        }
    }
}
