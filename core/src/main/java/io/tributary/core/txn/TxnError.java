package io.tributary.core.txn;

/** Outcomes of transaction coordinator operations, named exactly as Kafka's error codes (mapped by name). */
public enum TxnError {
    NONE,
    NOT_COORDINATOR,
    COORDINATOR_NOT_AVAILABLE,
    CONCURRENT_TRANSACTIONS,
    INVALID_PRODUCER_ID_MAPPING,
    PRODUCER_FENCED,
    INVALID_PRODUCER_EPOCH,
    INVALID_TXN_STATE,
    INVALID_TRANSACTION_TIMEOUT,
    TRANSACTIONAL_ID_NOT_FOUND,
    UNKNOWN_TOPIC_OR_PARTITION,
    OPERATION_NOT_ATTEMPTED,
    INVALID_REQUEST
}
