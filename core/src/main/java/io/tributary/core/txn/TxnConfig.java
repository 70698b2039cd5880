package io.tributary.core.txn;

import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.BrokerConfigDef;

/**
 * The transaction coordinator's settings.
 *
 * @param statePartitions      partitions of __transaction_state (one coordinator shard each)
 * @param maxTimeoutMs         largest transaction.timeout.ms a producer may ask for
 * @param idExpirationMs       a transactional id idle (no transaction open) this long is forgotten
 * @param markerRetryBackoffMs wait before writing markers again after a failure
 */
public record TxnConfig(int statePartitions, int maxTimeoutMs, long idExpirationMs, long markerRetryBackoffMs) {

    public static TxnConfig from(BrokerConfig config) {
        return new TxnConfig(
                ((Number) config.value(BrokerConfigDef.TRANSACTION_STATE_LOG_NUM_PARTITIONS)).intValue(),
                ((Number) config.value(BrokerConfigDef.TRANSACTION_MAX_TIMEOUT_MS)).intValue(),
                ((Number) config.value(BrokerConfigDef.TRANSACTIONAL_ID_EXPIRATION_MS)).longValue(),
                500L);
    }
}
