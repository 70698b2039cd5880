package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The command line up to, not including, starting a broker. */
class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        return new CommandLine(new Main(env)).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void badValueExitsTwoWithTheMessageAndNoStackTrace() {
        assertThat(run(Map.of(), "--override", "num.partitions=abc")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("Invalid value 'abc' for 'num.partitions': must be an integer >= 1");
    }

    @Test
    void unknownKeyExitsTwo() {
        assertThat(run(Map.of(), "--override", "log.dirz=/x")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("Unknown config 'log.dirz'; did you mean 'log.dirs'?");
    }

    @Test
    void badEnvValueExitsTwo() {
        assertThat(run(Map.of("TRIBUTARY_LISTENERS", "CLIENT://:9093"))).isEqualTo(2);
        assertThat(err.toString()).contains("'listeners'").contains("has no security protocol");
    }

    @Test
    void missingFileExitsTwo() {
        assertThat(run(Map.of(), "/no/such/tributary.properties")).isEqualTo(2);
        assertThat(err.toString()).contains("Cannot read config file");
    }

    @Test
    void trainingRunRefusesAConfigFileOrOverride() {
        assertThat(run(Map.of(), "--training-run", "--override", "num.partitions=3")).isEqualTo(2);
        assertThat(err.toString()).contains("--training-run starts from the embedded defaults");
    }

    @Test
    void trainingRunServesClientTrafficThenStopsWithExitZero() {
        // The environment a pod would give it must not reach the training run's config (here: a bad value).
        assertThat(run(Map.of("TRIBUTARY_LISTENERS", "CLIENT://:9093"), "--training-run")).isEqualTo(0);
        assertThat(err.toString()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"listeners, PLAINTEXT", "mqtt.listeners, MQTT", "http.listeners, HTTP", "connect.listeners, HTTP"})
    void aListenerOnAPortInUseFailsTheStartNamingIt(String key, String protocol, @TempDir Path dataDir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String address = protocol + "://127.0.0.1:" + taken.getLocalPort();
            Map<String, String> overrides = new java.util.LinkedHashMap<>(Map.of(
                    "listeners", "PLAINTEXT://127.0.0.1:0", "mqtt.listeners", "MQTT://127.0.0.1:0",
                    "http.listeners", "HTTP://127.0.0.1:0", "connect.listeners", "HTTP://127.0.0.1:0",
                    "log.dirs", dataDir.toString()));
            overrides.put(key, address);
            java.util.List<String> args = new java.util.ArrayList<>();
            overrides.forEach((k, v) -> args.addAll(java.util.List.of("--override", k + "=" + v)));

            assertThat(run(Map.of(), args.toArray(String[]::new))).isEqualTo(1);
            assertThat(err.toString()).contains("Tributary failed to start: Cannot listen on " + address + ": ");
        }
    }

    @Test
    void unknownOptionExitsTwo() {
        assertThat(run(Map.of(), "--overide", "a=b")).isEqualTo(2);
    }

    @Test
    void helpListsTheClientCommandsThatABrokerStartDoesNotBuild() {
        CommandLine help = Main.commandLine(Map.of(), "--help").setOut(new PrintWriter(out));
        assertThat(help.execute("--help")).isZero();
        assertThat(out.toString()).contains("topics").contains("groups").contains("produce").contains("consume")
                .contains("cluster");
        assertThat(Main.commandLine(Map.of(), "topics", "list").getSubcommands()).containsKey("topics");
        assertThat(Main.commandLine(Map.of(), "--override", "node.id=1").getSubcommands()).isEmpty();
    }

    @Test
    void clientCommandsTakeOutputFormatsInLowerCase() {
        String[] args = {"topics", "list", "-o", "table"};
        CommandLine.ParseResult parsed = Main.commandLine(Map.of(), args).parseArgs(args);
        Object format = parsed.subcommand().subcommand().matchedOptionValue("-o", null);
        assertThat(String.valueOf(format)).isEqualTo("TABLE");
    }

    @Test
    void helpAndVersion() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString()).contains("--override").contains("TRIBUTARY_LOG_DIRS");
        assertThat(run(Map.of(), "--version")).isZero();
        assertThat(out.toString()).contains("Tributary " + Version.get());
        assertThat(Version.get()).isNotEqualTo("unknown").doesNotContain("${");
    }
}
