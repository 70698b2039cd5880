package io.tributary.core.security.quota;

import java.io.IOException;
import java.util.Map;

/**
 * Where client quotas live. Reads are cheap snapshots and may run on an event loop; writes may block. Kept narrow
 * so that a replicated implementation can replace the file one.
 */
public interface ClientQuotaStore {

    /** Every entity with quotas: entity -> quota key -> value. Immutable. */
    Map<QuotaEntity, Map<String, Double>> all();

    /** Sets (a value) or removes (null) quota keys of entities, all at once. Blocking. */
    void alter(Map<QuotaEntity, Map<String, Double>> changes) throws IOException;
}
