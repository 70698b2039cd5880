package io.tributary.core.security;

import org.apache.kafka.common.security.scram.ScramCredential;

import java.io.IOException;
import java.util.Map;

/**
 * Where SCRAM credentials live: salted and hashed (salt, stored key, server key, iterations), never a password.
 * Kept narrow so that a replicated implementation can replace the file one. Reads are cheap and may run on an
 * event loop; writes may block.
 */
public interface CredentialStore {

    /** The credential of {@code user} for a mechanism name (SCRAM-SHA-256, SCRAM-SHA-512), or null. */
    ScramCredential get(String user, String mechanism);

    /** Every user with credentials: user -> mechanism -> iterations. */
    Map<String, Map<String, Integer>> describe();

    /** Adds or replaces one credential. Blocking. */
    void upsert(String user, String mechanism, ScramCredential credential) throws IOException;

    /** Removes one credential; false when there was none. Blocking. */
    boolean delete(String user, String mechanism) throws IOException;
}
