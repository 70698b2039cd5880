package io.tributary.connect.state;

import io.tributary.connect.runtime.BrokerBridge;
import io.tributary.core.api.ApiException;
import io.tributary.core.api.NewRecord;
import io.tributary.core.api.PartitionOffsets;
import io.tributary.core.api.RecordsRead;
import io.tributary.core.api.StoredRecord;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One single-partition compacted internal topic holding the latest value per key. The runtime's state is
 * rebuilt by replaying it at start-up, the same way the broker rebuilds groups from __consumer_offsets, and then
 * followed, so what other members of a cluster write reaches this one too.
 * Blocking calls: only for runtime threads, never an event loop.
 */
final class CompactedTopic {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopic.class);
    private static final int READ_BYTES = 1 << 20;
    private static final long RETRY_MS = 1_000;
    private static final long REPLAY_DEADLINE_MS = 180_000;

    private final BrokerBridge bridge;
    private final TopicPartition partition;
    /** The next offset {@link #catchUp} reads; only the thread that catches up touches it. */
    private long position;

    CompactedTopic(BrokerBridge bridge, String topic) {
        this.bridge = bridge;
        this.partition = new TopicPartition(topic, 0);
    }

    String name() {
        return partition.topic();
    }

    /** Creates the topic (one partition, compacted) unless it exists. */
    void ensure() throws InterruptedException {
        String topic = partition.topic();
        boolean exists = bridge.await(() -> Future.succeededFuture(bridge.api().topics().describe(topic).isPresent()));
        if (exists) {
            return;
        }
        try {
            bridge.await(() -> bridge.api().topics().create(topic, 1, Map.of("cleanup.policy", "compact")));
        } catch (ApiException e) {
            if (e.reason() != ApiException.Reason.TOPIC_EXISTS) {
                throw e;
            }
        }
    }

    /**
     * Hands every record appended since the last call, oldest first, to {@code consumer} (a null value is a
     * deletion); the first call replays the whole topic. Returns whether there was anything new. Members of a
     * cluster call it again and again to follow what the others write.
     */
    boolean catchUp(RecordHandler consumer) throws InterruptedException {
        PartitionOffsets bounds = bridge.await(() -> bridge.api().records().offsets(partition));
        long end = bounds.highWatermark();
        long offset = Math.max(position, bounds.logStartOffset());
        boolean any = false;
        while (offset < end) {
            long from = offset;
            RecordsRead read = bridge.await(() -> bridge.api().records().read(partition, from, READ_BYTES));
            for (StoredRecord record : read.records()) {
                if (record.key() != null) {
                    consumer.accept(new String(record.key(), StandardCharsets.UTF_8), record.value(), record.offset());
                    any = true;
                }
            }
            if (read.nextOffset() <= offset) {
                break;
            }
            offset = read.nextOffset();
            position = offset; // what was applied is not applied again if a later read fails
        }
        position = offset;
        return any;
    }

    /** A read of the topic that may fail while the partition has no reachable leader. */
    @FunctionalInterface
    interface Read {
        void run() throws InterruptedException;
    }

    /**
     * Runs the start-up replay {@code read}, trying again while the partition has no reachable leader (in a
     * cluster, members that start together may not have elected one yet), for up to three minutes.
     */
    void whenReadable(Read read) throws InterruptedException {
        long deadline = System.currentTimeMillis() + REPLAY_DEADLINE_MS;
        while (true) {
            try {
                read.run();
                return;
            } catch (ApiException e) {
                if (!e.retriable() || System.currentTimeMillis() >= deadline) {
                    throw e;
                }
                LOG.info("Waiting for {} to be readable: {}", partition, e.getMessage());
                Thread.sleep(RETRY_MS);
            }
        }
    }

    /** Appends and waits for the broker's acknowledgement; returns the record's offset. */
    long write(String key, byte[] value) throws InterruptedException {
        NewRecord record = NewRecord.of(key.getBytes(StandardCharsets.UTF_8), value);
        return bridge.await(() -> bridge.api().records().append(partition.topic(), 0, List.of(record))).get(0).offset();
    }

    /** Takes one record read back: its key, value (null for a deletion) and offset. */
    @FunctionalInterface
    interface RecordHandler {
        void accept(String key, byte[] value, long offset);
    }

    /** Appends without waiting (status updates: later ones win, failures are only logged). */
    Future<Void> writeAsync(String key, byte[] value) {
        NewRecord record = NewRecord.of(key.getBytes(StandardCharsets.UTF_8), value);
        return bridge.onContext(() -> bridge.api().records().append(partition.topic(), 0, List.of(record))).mapEmpty();
    }
}
