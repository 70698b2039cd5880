package io.tributary.core.it;

import io.tributary.core.BoundListener;
import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tributary.core.it.SecureListenersIT.admin;
import static io.tributary.core.it.SecureListenersIT.sasl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Connection limits against misbehaving clients: connections per address, idle and half-sent (slow-loris)
 * connections closed by connections.max.idle.ms, oversized frames, and failed SASL authentications per address.
 */
class ConnectionHardeningIT {

    @TempDir
    static Path work;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() {
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0");
        props.put("max.connections.per.ip", "4");
        props.put("connections.max.idle.ms", "1500");
        props.put("socket.request.max.bytes", "65536");
        props.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " user_ann=\"ann-secret\";");
        props.put("sasl.max.failed.authentications.per.ip", "3");
        props.put("connection.failed.authentication.delay.ms", "10");
        broker = EmbeddedBroker.start(work.resolve("data"), props);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static int port(String name) {
        return broker.broker().boundListeners().stream().filter(l -> l.name().equals(name)).findFirst()
                .map(BoundListener::port).orElseThrow();
    }

    private static boolean answers(RawKafkaSocket socket) throws Exception {
        ApiVersionsResponse r = socket.roundTrip(new ApiVersionsRequest.Builder().build((short) 3));
        return r.data().errorCode() == Errors.NONE.code();
    }

    @Test
    void connectionsBeyondTheLimitPerAddressAreClosed() throws Exception {
        List<RawKafkaSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                RawKafkaSocket s = RawKafkaSocket.connect(port("PLAINTEXT"));
                assertThat(answers(s)).isTrue();
                open.add(s);
            }
            try (RawKafkaSocket fifth = RawKafkaSocket.connect(port("PLAINTEXT"))) {
                assertThat(fifth.closedByPeerWithin(Duration.ofSeconds(5))).isTrue();
            }
            open.remove(0).close();
            Thread.sleep(200);
            try (RawKafkaSocket again = RawKafkaSocket.connect(port("PLAINTEXT"))) {
                assertThat(answers(again)).isTrue();
            }
        } finally {
            for (RawKafkaSocket s : open) {
                s.close();
            }
        }
    }

    @Test
    void idleAndHalfSentConnectionsAreClosed() throws Exception {
        try (RawKafkaSocket idle = RawKafkaSocket.connect(port("PLAINTEXT"));
             RawKafkaSocket slow = RawKafkaSocket.connect(port("PLAINTEXT"))) {
            assertThat(answers(idle)).isTrue();
            // A size prefix announcing 100 bytes, then only 3 of them: a slow-loris request.
            slow.writeRaw(new byte[]{0, 0, 0, 100, 0, 18, 0});
            long started = System.nanoTime();
            assertThat(slow.closedByPeerWithin(Duration.ofSeconds(10))).isTrue();
            assertThat(idle.closedByPeerWithin(Duration.ofSeconds(10))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
        }
    }

    @Test
    void oversizedFramesCloseTheConnection() throws Exception {
        try (RawKafkaSocket s = RawKafkaSocket.connect(port("PLAINTEXT"))) {
            s.writeRaw(new byte[]{0, 2, 0, 0});
            assertThat(s.closedByPeerWithin(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void repeatedFailedAuthenticationsBlockTheAddressForAWhile() throws Exception {
        String bootstrap = "127.0.0.1:" + port("SASL_PLAINTEXT");
        for (int i = 0; i < 3; i++) {
            try (Admin admin = admin(bootstrap, sasl("SASL_PLAINTEXT", "PLAIN", "ann", "guess-" + i))) {
                assertThatThrownBy(() -> admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(SaslAuthenticationException.class);
            }
        }
        // Even the right password is refused now: new connections from this address are closed at once.
        try (RawKafkaSocket s = RawKafkaSocket.connect(port("SASL_PLAINTEXT"))) {
            assertThat(s.closedByPeerWithin(Duration.ofSeconds(5))).isTrue();
        }
    }
}
