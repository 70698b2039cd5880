package io.tributary.core.txn;

import org.apache.kafka.common.TopicPartition;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Requests and results of the transaction coordinator. */
public final class TxnMessages {

    private TxnMessages() {
    }

    /**
     * @param expectedProducerId    -1, or (InitProducerId v3+, KIP-360) the id the producer had
     * @param expectedProducerEpoch -1, or the epoch it had
     */
    public record InitRequest(String transactionalId, int timeoutMs, long expectedProducerId,
                              short expectedProducerEpoch) {
    }

    public record InitResult(TxnError error, long producerId, short producerEpoch) {

        static InitResult error(TxnError error) {
            return new InitResult(error, -1L, (short) -1);
        }
    }

    public record AddPartitionsRequest(String transactionalId, long producerId, short producerEpoch,
                                       Set<TopicPartition> partitions) {
    }

    /** @param partitions the outcome for each requested partition */
    public record AddPartitionsResult(Map<TopicPartition, TxnError> partitions) {
    }

    public record EndRequest(String transactionalId, long producerId, short producerEpoch, boolean commit) {
    }

    /** DescribeTransactions / ListTransactions view of one transactional id. */
    public record TxnDescription(TxnError error, String transactionalId, TxnState state, long producerId,
                                 short producerEpoch, int timeoutMs, long startTimestampMs,
                                 List<TopicPartition> partitions) {

        static TxnDescription of(TxnMetadata m) {
            return new TxnDescription(TxnError.NONE, m.transactionalId(), m.state(), m.producerId(),
                    m.producerEpoch(), m.timeoutMs(), m.startTimestampMs(), List.copyOf(m.partitions()));
        }

        static TxnDescription error(String transactionalId, TxnError error) {
            return new TxnDescription(error, transactionalId, TxnState.DEAD, -1L, (short) -1, -1, -1L, List.of());
        }
    }
}
