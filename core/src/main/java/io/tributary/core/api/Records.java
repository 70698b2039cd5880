package io.tributary.core.api;

import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;

import java.util.List;

/**
 * Appending to and reading from partitions, for the gateways and connectors. Callers never see where a
 * partition lives: every call hops to the partition's owner and completes on the caller's context.
 * Futures fail with {@link ApiException}.
 */
public interface Records {

    /** Lets the broker choose the partition: by the key's hash as Kafka's producer does, round-robin without one. */
    int ANY_PARTITION = -1;

    /** {@link #offsetFor} with this timestamp: the first offset still stored. */
    long EARLIEST = -2L;
    /** {@link #offsetFor} with this timestamp: the high watermark (where the next record goes). */
    long LATEST = -1L;

    /**
     * Appends records to a topic, one batch per partition, and completes once the log has acknowledged
     * them (durably when the topic's flush policy asks for it). Results are in the order of {@code records}.
     * Appending to a missing topic creates it when auto.create.topics.enable allows.
     *
     * @param partition a partition number, or {@link #ANY_PARTITION}
     */
    Future<List<AppendedRecord>> append(String topic, int partition, List<NewRecord> records);

    /** Reads up to about {@code maxBytes} (at least one batch) from {@code offset}, now. */
    Future<RecordsRead> read(TopicPartition partition, long offset, int maxBytes);

    /**
     * {@link #read}, but when nothing is there yet waits up to {@code maxWaitMs} for an append to the
     * partition, then reads again. No thread waits meanwhile.
     */
    Future<RecordsRead> poll(TopicPartition partition, long offset, int maxBytes, long maxWaitMs);

    /**
     * The earliest offset whose record has a timestamp at or after {@code timestamp}, the high watermark when
     * none has, or the log start / high watermark for {@link #EARLIEST} / {@link #LATEST}.
     */
    Future<Long> offsetFor(TopicPartition partition, long timestamp);

    /** The readable range of a partition. */
    Future<PartitionOffsets> offsets(TopicPartition partition);
}
