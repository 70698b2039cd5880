package io.tributary.core.protocol;

import io.tributary.core.txn.TxnError;
import org.apache.kafka.common.protocol.Errors;

/** Maps the transaction coordinator's outcomes to Kafka error codes (the names are the same by design). */
public final class TxnErrors {

    private TxnErrors() {
    }

    public static Errors of(TxnError error) {
        return Errors.valueOf(error.name());
    }

    public static short code(TxnError error) {
        return of(error).code();
    }
}
