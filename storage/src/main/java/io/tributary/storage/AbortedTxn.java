package io.tributary.storage;

/**
 * An aborted transaction of one producer in one partition, as Kafka's {@code .txnindex} stores it: a read_committed
 * consumer drops that producer's batches from {@code firstOffset} up to the abort marker at {@code lastOffset}.
 *
 * @param lastStableOffset the partition's last stable offset once the abort was written
 */
public record AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {
}
