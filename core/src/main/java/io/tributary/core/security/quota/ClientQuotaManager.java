package io.tributary.core.security.quota;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies the stored client quotas: finds the quota that governs a user and client id, as Kafka does, and measures
 * produce and fetch bytes per governing entity. The entity found is also what is measured: a quota set for a user
 * is shared by all of that user's client ids, a default quota gives each user (or client id) its own.
 *
 * <p>Precedence (Kafka's): user and client-id, user and default client-id, user, default user and client-id, default
 * user and default client-id, default user, client-id, default client-id.
 */
public final class ClientQuotaManager {

    public static final String PRODUCER_BYTE_RATE = "producer_byte_rate";
    public static final String CONSUMER_BYTE_RATE = "consumer_byte_rate";
    /** Kafka's other client quota keys, which this broker does not enforce. */
    public static final List<String> UNSUPPORTED_KEYS = List.of("request_percentage", "controller_mutation_rate");

    private static final int MAX_IDLE_METERS = 10_000;

    private final ClientQuotaStore store;
    private final int samples;
    private final long sampleMs;
    private final Map<MeterKey, ByteRateMeter> meters = new ConcurrentHashMap<>();

    public ClientQuotaManager(ClientQuotaStore store, int samples, long sampleMs) {
        this.store = store;
        this.samples = samples;
        this.sampleMs = sampleMs;
    }

    public ClientQuotaStore store() {
        return store;
    }

    /** Changes stored quotas. Blocking. */
    public void alter(Map<QuotaEntity, Map<String, Double>> changes) throws IOException {
        store.alter(changes);
    }

    /** Whether any quota is set at all (when none is, nothing is measured). */
    public boolean active() {
        return !store.all().isEmpty();
    }

    /**
     * Records {@code bytes} produced or fetched ({@code quotaKey}) by {@code user} with {@code clientId} at
     * {@code nowMs}; returns the throttle time in milliseconds, 0 when no quota applies or it is not exceeded.
     */
    public long record(String quotaKey, String user, String clientId, long bytes, long nowMs) {
        Map<QuotaEntity, Map<String, Double>> quotas = store.all();
        if (quotas.isEmpty()) {
            return 0;
        }
        Governing governing = governing(quotas, quotaKey, user, clientId);
        if (governing == null) {
            return 0;
        }
        if (meters.size() > MAX_IDLE_METERS) {
            meters.values().removeIf(m -> nowMs - m.lastRecordMs() > samples * sampleMs);
        }
        ByteRateMeter meter = meters.computeIfAbsent(governing.meter(), k -> new ByteRateMeter(samples, sampleMs, nowMs));
        return meter.recordAndThrottleMs(nowMs, bytes, governing.quota());
    }

    /** The quota for {@code quotaKey} governing {@code user} / {@code clientId}, or null when there is none. */
    static Governing governing(Map<QuotaEntity, Map<String, Double>> quotas, String quotaKey, String user,
                               String clientId) {
        QuotaEntity[] candidates = {
                QuotaEntity.userAndClientId(user, clientId),
                QuotaEntity.userAndClientId(user, null),
                QuotaEntity.user(user),
                QuotaEntity.userAndClientId(null, clientId),
                QuotaEntity.userAndClientId(null, null),
                QuotaEntity.user(null),
                QuotaEntity.clientId(clientId),
                QuotaEntity.clientId(null),
        };
        for (QuotaEntity candidate : candidates) {
            Map<String, Double> values = quotas.get(candidate);
            Double quota = values == null ? null : values.get(quotaKey);
            if (quota != null) {
                // Measured per actual user / client id for each component the governing entity has.
                return new Governing(quota, new MeterKey(quotaKey, candidate.hasUser() ? user : null,
                        candidate.hasClientId() ? clientId : null, candidate));
            }
        }
        return null;
    }

    /** Which quota applies and what is measured against it. */
    record Governing(double quota, MeterKey meter) {
    }

    record MeterKey(String quotaKey, String user, String clientId, QuotaEntity entity) {
    }
}
