package io.tributary.core.protocol.handlers;

import io.tributary.core.BrokerServices;
import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.partition.Partition;
import io.tributary.core.protocol.TxnErrors;
import io.tributary.core.txn.TxnError;
import io.vertx.core.Future;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;

import java.util.Iterator;

/**
 * Kafka's transaction verification for produce: the first transactional batch of a producer in a partition is
 * appended only if the coordinator has that partition in the producer's open transaction at that epoch. Later
 * batches of the same transaction pass on the partition's own state, without asking the coordinator. This keeps a
 * fenced producer from opening a transaction no marker would ever end (a hanging transaction that would hold the
 * last stable offset back for good).
 */
final class TransactionalProduce {

    private TransactionalProduce() {
    }

    /** NONE if the records may be appended (also for non-transactional ones), else the error to answer. */
    static Future<Errors> verify(BrokerServices broker, Partition partition, String transactionalId,
                                 MemoryRecords records) {
        Iterator<MutableRecordBatch> batches = records.batches().iterator();
        if (!batches.hasNext()) {
            return Future.succeededFuture(Errors.NONE);
        }
        MutableRecordBatch first = batches.next();
        if (!first.isTransactional()) {
            return Future.succeededFuture(Errors.NONE);
        }
        if (transactionalId == null || transactionalId.isEmpty()) {
            return Future.succeededFuture(Errors.INVALID_TXN_STATE);
        }
        long producerId = first.producerId();
        short epoch = first.producerEpoch();
        return ContextHop.call(partition.owner(), () -> partition.log().hasOngoingTransaction(producerId, epoch))
                .compose(open -> open ? Future.succeededFuture(Errors.NONE)
                        : broker.transactions().verifyPartition(transactionalId, producerId, epoch,
                                partition.topicPartition()).map(TransactionalProduce::forProducer));
    }

    /** As Kafka answers: a coordinator that cannot be reached right now is a retriable NOT_ENOUGH_REPLICAS. */
    private static Errors forProducer(TxnError error) {
        return switch (error) {
            case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> Errors.NOT_ENOUGH_REPLICAS;
            default -> TxnErrors.of(error);
        };
    }
}
