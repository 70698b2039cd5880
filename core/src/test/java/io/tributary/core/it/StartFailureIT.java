package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A broker that cannot start says why, promptly, instead of hanging. */
class StartFailureIT {

    @TempDir
    Path dataDir;

    @Test
    void aPortInUseFailsTheStartWithTheBindError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Throwable failure = catchThrowable(() -> EmbeddedBroker.start(dataDir,
                    Map.of("listeners", "PLAINTEXT://127.0.0.1:" + taken.getLocalPort())).close());
            assertThat(failure).as("starting on a port in use").isNotNull();
            // EmbeddedBroker gives up after 60 s with a TimeoutException; a broker that reports its
            // failure completes its start future with the bind error instead.
            assertThat(failure).hasRootCauseInstanceOf(BindException.class);
            assertThat(failure).as("the error names the listener")
                    .hasStackTraceContaining("Cannot listen on PLAINTEXT://127.0.0.1:" + taken.getLocalPort());
            assertThat(failure).rootCause().isNotInstanceOf(TimeoutException.class);
        }
        // The log dir is not left locked: a broker on a free port starts on it.
        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir)) {
            assertThat(broker.port()).isPositive();
        }
    }

    @Test
    void aSecondBrokerOnTheSameLogDirIsRefused() {
        try (EmbeddedBroker first = EmbeddedBroker.start(dataDir)) {
            Throwable failure = catchThrowable(() -> EmbeddedBroker.start(dataDir).close());
            assertThat(failure).as("a second broker on a locked log dir").isNotNull();
            assertThat(failure).rootCause().isNotInstanceOf(TimeoutException.class);
            assertThat(first.port()).isPositive();
        }
    }
}
