package io.tributary.core.security.quota;

import io.tributary.core.metadata.MetadataStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Client quotas in {@code client-quotas.json} of the metadata directory, written atomically. */
public final class FileClientQuotaStore implements ClientQuotaStore {

    static final String FILE = "client-quotas.json";

    private final MetadataStore store;
    private volatile Map<QuotaEntity, Map<String, Double>> quotas = Map.of();

    public FileClientQuotaStore(MetadataStore store) throws IOException {
        this.store = store;
        Stored stored = store.readBound(FILE, Stored.class);
        if (stored != null) {
            Map<QuotaEntity, Map<String, Double>> loaded = new LinkedHashMap<>();
            for (StoredQuota q : stored.quotas()) {
                loaded.put(new QuotaEntity(q.hasUser(), q.user(), q.hasClientId(), q.clientId()), q.values());
            }
            quotas = freeze(loaded);
        }
    }

    @Override
    public Map<QuotaEntity, Map<String, Double>> all() {
        return quotas;
    }

    @Override
    public synchronized void alter(Map<QuotaEntity, Map<String, Double>> changes) throws IOException {
        Map<QuotaEntity, Map<String, Double>> next = new LinkedHashMap<>();
        quotas.forEach((e, v) -> next.put(e, new TreeMap<>(v)));
        changes.forEach((entity, values) -> {
            Map<String, Double> current = next.computeIfAbsent(entity, e -> new TreeMap<>());
            values.forEach((key, value) -> {
                if (value == null) {
                    current.remove(key);
                } else {
                    current.put(key, value);
                }
            });
            if (current.isEmpty()) {
                next.remove(entity);
            }
        });
        List<StoredQuota> list = new ArrayList<>();
        next.forEach((e, v) -> list.add(new StoredQuota(e.hasUser(), e.user(), e.hasClientId(), e.clientId(), v)));
        store.writeBound(FILE, new Stored(1, list));
        quotas = freeze(next);
    }

    private static Map<QuotaEntity, Map<String, Double>> freeze(Map<QuotaEntity, Map<String, Double>> m) {
        Map<QuotaEntity, Map<String, Double>> out = new LinkedHashMap<>();
        m.forEach((e, v) -> out.put(e, Collections.unmodifiableMap(new TreeMap<>(v))));
        return Collections.unmodifiableMap(out);
    }

    record Stored(int version, List<StoredQuota> quotas) {
    }

    record StoredQuota(boolean hasUser, String user, boolean hasClientId, String clientId, Map<String, Double> values) {
    }
}
