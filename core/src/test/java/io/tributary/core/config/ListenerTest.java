package io.tributary.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListenerTest {

    @Test
    void parsesNameHostPort() {
        assertThat(Listener.parse("PLAINTEXT://127.0.0.1:9092")).isEqualTo(new Listener("PLAINTEXT", "127.0.0.1", 9092));
        assertThat(Listener.parse(" internal://broker-1.example.com:19092 "))
                .isEqualTo(new Listener("INTERNAL", "broker-1.example.com", 19092));
        assertThat(Listener.parse("PLAINTEXT://:9092")).isEqualTo(new Listener("PLAINTEXT", "", 9092));
        assertThat(Listener.parse("PLAINTEXT://[::1]:0")).isEqualTo(new Listener("PLAINTEXT", "::1", 0));
    }

    @Test
    void uriAndBindHost() {
        assertThat(Listener.parse("PLAINTEXT://[::1]:9092").uri()).isEqualTo("PLAINTEXT://[::1]:9092");
        assertThat(Listener.parse("PLAINTEXT://:9092").bindHost()).isEqualTo("0.0.0.0");
        assertThat(Listener.parse("PLAINTEXT://:9092").isWildcardHost()).isTrue();
        assertThat(Listener.parse("PLAINTEXT://0.0.0.0:9092").isWildcardHost()).isTrue();
        assertThat(Listener.parse("PLAINTEXT://localhost:9092").isWildcardHost()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:9092", "PLAINTEXT://127.0.0.1", "PLAINTEXT//h:1", "PLAIN TEXT://h:1",
            "PLAINTEXT://h:port", "PLAINTEXT://a:b:1"})
    void refusesMalformed(String spec) {
        assertThatThrownBy(() -> Listener.parse(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected NAME://host:port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLAINTEXT://h:65536", "PLAINTEXT://h:-1", "PLAINTEXT://h:99999999999"})
    void refusesBadPorts(String spec) {
        assertThatThrownBy(() -> Listener.parse(spec)).hasMessageContaining("port must be between 0 and 65535");
    }

    @ParameterizedTest
    @ValueSource(strings = {"SSL://h:9093", "SASL_PLAINTEXT://h:9094", "SASL_SSL://h:9095", "client_ssl://h:1"})
    void acceptsSecurityProtocolNames(String spec) {
        // The protocol comes from listener.security.protocol.map (or the name itself), checked by BrokerConfig.
        assertThat(Listener.parse(spec).port()).isPositive();
    }
}
