package io.tributary.core.security;

import io.tributary.core.metadata.MetadataStore;
import org.apache.kafka.common.security.scram.ScramCredential;

import java.io.IOException;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** SCRAM credentials in {@code scram-credentials.json} of the metadata directory, written atomically. */
public final class FileCredentialStore implements CredentialStore {

    static final String FILE = "scram-credentials.json";

    private final MetadataStore store;
    /** user -> mechanism -> credential; replaced as a whole on every write. */
    private volatile Map<String, Map<String, ScramCredential>> credentials = Map.of();

    public FileCredentialStore(MetadataStore store) throws IOException {
        this.store = store;
        Stored stored = store.readBound(FILE, Stored.class);
        if (stored != null) {
            Map<String, Map<String, ScramCredential>> loaded = new TreeMap<>();
            for (StoredCredential c : stored.credentials()) {
                loaded.computeIfAbsent(c.user(), u -> new TreeMap<>()).put(c.mechanism(), new ScramCredential(
                        decode(c.salt()), decode(c.storedKey()), decode(c.serverKey()), c.iterations()));
            }
            credentials = freeze(loaded);
        }
    }

    @Override
    public ScramCredential get(String user, String mechanism) {
        Map<String, ScramCredential> byMechanism = credentials.get(user);
        return byMechanism == null ? null : byMechanism.get(mechanism);
    }

    @Override
    public Map<String, Map<String, Integer>> describe() {
        Map<String, Map<String, Integer>> out = new TreeMap<>();
        credentials.forEach((user, mechs) -> mechs.forEach((m, c) ->
                out.computeIfAbsent(user, u -> new TreeMap<>()).put(m, c.iterations())));
        return out;
    }

    @Override
    public synchronized void upsert(String user, String mechanism, ScramCredential credential) throws IOException {
        Map<String, Map<String, ScramCredential>> next = copy();
        next.computeIfAbsent(user, u -> new TreeMap<>()).put(mechanism, credential);
        save(next);
    }

    @Override
    public synchronized boolean delete(String user, String mechanism) throws IOException {
        Map<String, Map<String, ScramCredential>> next = copy();
        Map<String, ScramCredential> mechs = next.get(user);
        if (mechs == null || mechs.remove(mechanism) == null) {
            return false;
        }
        if (mechs.isEmpty()) {
            next.remove(user);
        }
        save(next);
        return true;
    }

    private Map<String, Map<String, ScramCredential>> copy() {
        Map<String, Map<String, ScramCredential>> next = new TreeMap<>();
        credentials.forEach((u, m) -> next.put(u, new TreeMap<>(m)));
        return next;
    }

    private void save(Map<String, Map<String, ScramCredential>> next) throws IOException {
        List<StoredCredential> list = new java.util.ArrayList<>();
        next.forEach((user, mechs) -> mechs.forEach((m, c) -> list.add(new StoredCredential(user, m,
                encode(c.salt()), encode(c.storedKey()), encode(c.serverKey()), c.iterations()))));
        store.writeBound(FILE, new Stored(1, list));
        credentials = freeze(next);
    }

    private static Map<String, Map<String, ScramCredential>> freeze(Map<String, Map<String, ScramCredential>> m) {
        Map<String, Map<String, ScramCredential>> out = new TreeMap<>();
        m.forEach((u, mechs) -> out.put(u, Collections.unmodifiableMap(new TreeMap<>(mechs))));
        return Collections.unmodifiableMap(out);
    }

    private static String encode(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static byte[] decode(String s) {
        return Base64.getDecoder().decode(s);
    }

    record Stored(int version, List<StoredCredential> credentials) {
    }

    record StoredCredential(String user, String mechanism, String salt, String storedKey, String serverKey,
                            int iterations) {
    }
}
