package io.tributary.core.security.quota;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.tributary.core.security.quota.ClientQuotaManager.CONSUMER_BYTE_RATE;
import static io.tributary.core.security.quota.ClientQuotaManager.PRODUCER_BYTE_RATE;
import static org.assertj.core.api.Assertions.assertThat;

/** Kafka's quota precedence over user / client-id entities and defaults, and the throttle the meter computes. */
class ClientQuotaManagerTest {

    private static final class MemoryStore implements ClientQuotaStore {
        private final Map<QuotaEntity, Map<String, Double>> quotas = new LinkedHashMap<>();

        @Override
        public Map<QuotaEntity, Map<String, Double>> all() {
            return quotas;
        }

        @Override
        public void alter(Map<QuotaEntity, Map<String, Double>> changes) {
            changes.forEach((e, v) -> quotas.computeIfAbsent(e, k -> new LinkedHashMap<>()).putAll(v));
        }
    }

    private static Map<QuotaEntity, Map<String, Double>> quotas(Object... entityKeyValue) {
        Map<QuotaEntity, Map<String, Double>> out = new LinkedHashMap<>();
        for (int i = 0; i < entityKeyValue.length; i += 3) {
            out.computeIfAbsent((QuotaEntity) entityKeyValue[i], e -> new LinkedHashMap<>())
                    .put((String) entityKeyValue[i + 1], (Double) entityKeyValue[i + 2]);
        }
        return out;
    }

    private static Double governing(Map<QuotaEntity, Map<String, Double>> quotas, String user, String client) {
        ClientQuotaManager.Governing g = ClientQuotaManager.governing(quotas, PRODUCER_BYTE_RATE, user, client);
        return g == null ? null : g.quota();
    }

    @Test
    void theMostSpecificEntityWinsInKafkasOrder() {
        Map<QuotaEntity, Map<String, Double>> q = quotas(
                QuotaEntity.clientId(null), PRODUCER_BYTE_RATE, 8.0,
                QuotaEntity.clientId("app"), PRODUCER_BYTE_RATE, 7.0,
                QuotaEntity.user(null), PRODUCER_BYTE_RATE, 6.0,
                QuotaEntity.userAndClientId(null, null), PRODUCER_BYTE_RATE, 5.0,
                QuotaEntity.userAndClientId(null, "app"), PRODUCER_BYTE_RATE, 4.0,
                QuotaEntity.user("alice"), PRODUCER_BYTE_RATE, 3.0,
                QuotaEntity.userAndClientId("alice", null), PRODUCER_BYTE_RATE, 2.0,
                QuotaEntity.userAndClientId("alice", "app"), PRODUCER_BYTE_RATE, 1.0);
        assertThat(governing(q, "alice", "app")).isEqualTo(1.0);
        assertThat(governing(q, "alice", "other")).isEqualTo(2.0);
        assertThat(governing(q, "bob", "app")).isEqualTo(4.0);
        assertThat(governing(q, "bob", "other")).isEqualTo(5.0);
        q.remove(QuotaEntity.userAndClientId("alice", null));
        assertThat(governing(q, "alice", "other")).isEqualTo(3.0);
        q.remove(QuotaEntity.userAndClientId(null, null));
        q.remove(QuotaEntity.userAndClientId(null, "app"));
        assertThat(governing(q, "bob", "app")).isEqualTo(6.0);
        q.remove(QuotaEntity.user(null));
        assertThat(governing(q, "bob", "app")).isEqualTo(7.0);
        assertThat(governing(q, "bob", "other")).isEqualTo(8.0);
        // Another key's quota does not govern this one.
        assertThat(ClientQuotaManager.governing(q, CONSUMER_BYTE_RATE, "alice", "app")).isNull();
    }

    @Test
    void aUserQuotaIsSharedByItsClientIdsAndADefaultOneIsPerUser() {
        ClientQuotaManager.Governing aliceA = ClientQuotaManager.governing(
                quotas(QuotaEntity.user("alice"), PRODUCER_BYTE_RATE, 10.0), PRODUCER_BYTE_RATE, "alice", "a");
        ClientQuotaManager.Governing aliceB = ClientQuotaManager.governing(
                quotas(QuotaEntity.user("alice"), PRODUCER_BYTE_RATE, 10.0), PRODUCER_BYTE_RATE, "alice", "b");
        assertThat(aliceA.meter()).isEqualTo(aliceB.meter());
        Map<QuotaEntity, Map<String, Double>> defaults = quotas(QuotaEntity.user(null), PRODUCER_BYTE_RATE, 10.0);
        assertThat(ClientQuotaManager.governing(defaults, PRODUCER_BYTE_RATE, "alice", "a").meter())
                .isNotEqualTo(ClientQuotaManager.governing(defaults, PRODUCER_BYTE_RATE, "bob", "a").meter());
    }

    @Test
    void bytesBeyondTheQuotaGiveAThrottleThatBringsTheRateBack() throws Exception {
        MemoryStore store = new MemoryStore();
        ClientQuotaManager manager = new ClientQuotaManager(store, 2, 1000);
        assertThat(manager.record(PRODUCER_BYTE_RATE, "alice", "a", 1_000_000, 0)).isZero();
        store.alter(Map.of(QuotaEntity.user("alice"), Map.of(PRODUCER_BYTE_RATE, 1000.0)));
        // Within the quota over the minimum one-second window.
        assertThat(manager.record(PRODUCER_BYTE_RATE, "alice", "a", 500, 0)).isZero();
        // 3000 bytes in one second at 1000 B/s: two seconds more are needed, capped by the two-sample window.
        assertThat(manager.record(PRODUCER_BYTE_RATE, "alice", "a", 2_500, 10)).isEqualTo(2000);
        // Other users are not governed.
        assertThat(manager.record(PRODUCER_BYTE_RATE, "bob", "a", 1_000_000, 10)).isZero();
        // Long after, the samples have expired.
        assertThat(manager.record(PRODUCER_BYTE_RATE, "alice", "a", 500, 60_000)).isZero();
    }
}
