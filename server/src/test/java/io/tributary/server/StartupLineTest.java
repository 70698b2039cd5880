package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartupLineTest {

    @Test
    void namesEveryListenerAndDirectory() {
        assertThat(StartupLine.format("0.1.0", 0, List.of("PLAINTEXT://127.0.0.1:9092"), List.of(Path.of("./data")),
                Duration.ofMillis(1234)))
                .isEqualTo("Tributary 0.1.0 started: node 0, kafka PLAINTEXT://127.0.0.1:9092, data ./data (1.2 s)");
        assertThat(StartupLine.format("0.1.0", 2, List.of("A://h:1", "B://h:2"), List.of(Path.of("/a"), Path.of("/b")),
                Duration.ofMillis(50)))
                .isEqualTo("Tributary 0.1.0 started: node 2, kafka A://h:1,B://h:2, data /a,/b (0.1 s)");
    }

    @Test
    void bracketsIpv6() {
        assertThat(StartupLine.uri("PLAINTEXT", "::1", 9092)).isEqualTo("PLAINTEXT://[::1]:9092");
        assertThat(StartupLine.uri("PLAINTEXT", "127.0.0.1", 9092)).isEqualTo("PLAINTEXT://127.0.0.1:9092");
    }

    @Test
    void describesCauseChains() {
        Exception e = new RuntimeException("Cannot listen on PLAINTEXT://127.0.0.1:9092",
                new java.net.BindException("Address already in use"));
        assertThat(BrokerLauncher.describe(e)).isEqualTo("Cannot listen on PLAINTEXT://127.0.0.1:9092: Address already in use");
        assertThat(BrokerLauncher.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
        Exception wrapped = new RuntimeException("java.io.IOException: disk", new java.io.IOException("disk"));
        assertThat(BrokerLauncher.describe(wrapped)).isEqualTo("java.io.IOException: disk");
    }
}
