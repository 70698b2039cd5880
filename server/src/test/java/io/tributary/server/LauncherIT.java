package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/tributary against the packaged jar (run by failsafe after package): it builds the class-data archive with a
 * training run, starts from it, rebuilds it for a newer jar, and starts without it when it cannot be built.
 */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("..", "bin", "tributary").toAbsolutePath().normalize();
    private static final Path PACKAGED_JAR = Path.of("target", "tributary.jar").toAbsolutePath();
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private Path jar;

    @BeforeEach
    void copyJar() throws IOException {
        assertThat(PACKAGED_JAR).as("the packaged jar").exists();
        jar = Files.copy(PACKAGED_JAR, dir.resolve("tributary.jar"), StandardCopyOption.COPY_ATTRIBUTES);
    }

    @Test
    void buildsTheArchiveOnceStartsABrokerFromItAndRebuildsItForANewerJar() throws Exception {
        Path archive = dir.resolve("tributary.jsa");
        Map<String, String> env = Map.of("TRIBUTARY_JAR", jar.toString(), "TRIBUTARY_CDS_ARCHIVE", archive.toString());

        Result first = launch(env, "--version");
        assertThat(first.exit()).isZero();
        assertThat(first.stdout()).startsWith("Tributary ");
        assertThat(first.stderr()).contains("building the class-data archive " + archive);
        assertThat(archive).isNotEmptyFile();
        FileTime built = Files.getLastModifiedTime(archive);

        // -Xshare:on: the JVM refuses to start unless it maps the archive, so this start proves it is used.
        Map<String, String> shareOn = new java.util.HashMap<>(env);
        shareOn.put("TRIBUTARY_JAVA_OPTS", "-Xshare:on -Xmx256m");
        startServeAndStop(shareOn);
        assertThat(Files.getLastModifiedTime(archive)).as("the archive is reused").isEqualTo(built);

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        Result rebuilt = launch(env, "--version");
        assertThat(rebuilt.exit()).isZero();
        assertThat(rebuilt.stderr()).contains("building the class-data archive");
        assertThat(launch(shareOn, "--version").exit()).as("the rebuilt archive maps").isZero();
    }

    @Test
    void startsWithoutTheArchiveWhenItCannotBeBuilt() throws Exception {
        Path archive = dir.resolve("no-such-dir").resolve("tributary.jsa");
        Result result = launch(Map.of("TRIBUTARY_JAR", jar.toString(), "TRIBUTARY_CDS_ARCHIVE", archive.toString()),
                "--version");
        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).startsWith("Tributary ");
        assertThat(result.stderr()).contains("could not build the archive");
        assertThat(archive).doesNotExist();
    }

    /** Starts a broker through the launcher, checks it serves a Kafka client, stops it with SIGTERM. */
    private void startServeAndStop(Map<String, String> env) throws Exception {
        int port = freePort();
        Path log = dir.resolve("broker.log");
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString(),
                "--override", "listeners=PLAINTEXT://127.0.0.1:" + port,
                "--override", "log.dirs=" + dir.resolve("data"),
                "--override", "mqtt.listeners=MQTT://127.0.0.1:0",
                "--override", "http.listeners=HTTP://127.0.0.1:0",
                "--override", "connect.listeners=HTTP://127.0.0.1:0"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process broker = builder.start();
        try {
            Instant deadline = Instant.now().plus(TIMEOUT);
            while (!Files.readString(log).contains("Tributary ") || !Files.readString(log).contains(" started: node ")) {
                assertThat(broker.isAlive()).as("the broker is running; its log:%n%s", Files.readString(log)).isTrue();
                assertThat(Instant.now()).as("started within %s", TIMEOUT).isBefore(deadline);
                Thread.sleep(50);
            }
            Properties props = new Properties();
            props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
            try (Admin admin = Admin.create(props)) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            }
        } finally {
            broker.destroy();
            assertThat(broker.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        }
        assertThat(Files.readString(log)).contains("Tributary stopped").doesNotContain("building the class-data");
    }

    private Result launch(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("finished within %s", TIMEOUT).isTrue();
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private record Result(int exit, String stdout, String stderr) {
    }
}
