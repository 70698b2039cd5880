package io.tributary.storage;

/**
 * An idempotent or transactional producer the log tracks (Kafka's DescribeProducers view).
 *
 * @param lastSequence          sequence number of the producer's last appended record, or -1
 * @param lastTimestamp         max timestamp of its last batch, or -1
 * @param currentTxnStartOffset first offset of its open transaction, or -1
 */
public record ActiveProducer(long producerId, short epoch, int lastSequence, long lastTimestamp,
                             long currentTxnStartOffset) {
}
