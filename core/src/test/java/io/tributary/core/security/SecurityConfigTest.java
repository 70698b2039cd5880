package io.tributary.core.security;

import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.ConfigException;
import io.tributary.core.config.ListenerProtocols;
import io.tributary.core.config.ListenerProtocols.Protocol;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecurityConfigTest {

    @Test
    void listenerProtocolsFollowKafkasMapSemantics() {
        BrokerConfig c = BrokerConfig.parse(Map.of(
                "listeners", "PLAINTEXT://:9092,SASL_PLAINTEXT://:9093,CLIENT://:9094",
                "mqtt.listeners", "MQTT://:1883,MQTTS://:8883",
                "listener.name.mqtts.ssl.keystore.location", "/k.p12",
                "listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,MQTTS:SSL"));
        assertThat(ListenerProtocols.kafka(c, "PLAINTEXT")).isEqualTo(Protocol.PLAINTEXT);
        assertThat(ListenerProtocols.kafka(c, "SASL_PLAINTEXT")).isEqualTo(Protocol.SASL_PLAINTEXT);
        assertThat(ListenerProtocols.kafka(c, "CLIENT")).isEqualTo(Protocol.SASL_PLAINTEXT);
        assertThat(ListenerProtocols.gateway(c, "MQTT")).isEqualTo(Protocol.PLAINTEXT);
        assertThat(ListenerProtocols.gateway(c, "MQTTS")).isEqualTo(Protocol.SSL);
    }

    @Test
    void tlsListenersNeedAKeyStore() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listeners", "SSL://:9093")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ssl.keystore.location");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("http.listeners", "HTTPS://:8443",
                "listener.security.protocol.map", "HTTPS:SSL"))).hasMessageContaining("ssl.keystore.location");
    }

    @Test
    void perListenerOverridesAreValidatedLikeTheirKey() {
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listener.name.client.ssl.client.auth", "sometimes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("one of none, requested, required");
        assertThatThrownBy(() -> BrokerConfig.parse(Map.of("listener.name.client.no.such.key", "x")))
                .hasMessageContaining("Unknown config");
    }

    @Test
    void jaasUsersComeFromThePlainKeyAndKafkasPerListenerForm() {
        BrokerConfig c = BrokerConfig.parse(Map.of(
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " user_admin=\"a\\\"b\" user_bob=\"bob-pw\";",
                "listener.name.sasl_ssl.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_carol=\"carol-pw\";"));
        assertThat(BrokerSecurity.parseJaas((String) c.value("sasl.jaas.config")))
                .containsEntry("admin", "a\"b").containsEntry("bob", "bob-pw");
        BrokerSecurity security = BrokerSecurity.of(c, null, new FileCredentialStoreStub(), null);
        assertThat(security.verifyPassword("carol", "carol-pw").succeeded()).isTrue();
        assertThat(security.verifyPassword("bob", "bob-pw").succeeded()).isTrue();
        assertThat(security.verifyPassword("bob", "nope").failed()).isTrue();
    }

    @Test
    void certificateSubjectsMapThroughKafkasRules() {
        BrokerConfig c = BrokerConfig.parse(Map.of("ssl.principal.mapping.rules",
                "RULE:^CN=([^,]+),OU=iot,.*$/$1/L,DEFAULT"));
        BrokerSecurity security = BrokerSecurity.of(c, null, new FileCredentialStoreStub(), null);
        assertThat(security.principalOfDn("CN=Device-7,OU=iot,O=Example")).isEqualTo("User:device-7");
        assertThat(security.principalOfDn("CN=ops,O=Example")).isEqualTo("User:CN=ops,O=Example");
    }

    /** No SCRAM users. */
    private static final class FileCredentialStoreStub implements CredentialStore {
        @Override
        public org.apache.kafka.common.security.scram.ScramCredential get(String user, String mechanism) {
            return null;
        }

        @Override
        public Map<String, Map<String, Integer>> describe() {
            return Map.of();
        }

        @Override
        public void upsert(String user, String mechanism, org.apache.kafka.common.security.scram.ScramCredential c) {
        }

        @Override
        public boolean delete(String user, String mechanism) {
            return false;
        }
    }
}
