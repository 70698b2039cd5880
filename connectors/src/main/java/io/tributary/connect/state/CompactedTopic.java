package io.tributary.connect.state;

import io.tributary.connect.runtime.BrokerBridge;
import io.tributary.core.api.ApiException;
import io.tributary.core.api.NewRecord;
import io.tributary.core.api.RecordsRead;
import io.tributary.core.api.StoredRecord;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One single-partition compacted internal topic holding the latest value per key. The runtime's state is
 * rebuilt by replaying it at start-up, the same way the broker rebuilds groups from __consumer_offsets.
 * Blocking calls: only for runtime threads, never an event loop.
 */
final class CompactedTopic {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopic.class);
    private static final int READ_BYTES = 1 << 20;
    private static final long RETRY_MS = 1_000;
    private static final long REPLAY_DEADLINE_MS = 180_000;

    private final BrokerBridge bridge;
    private final TopicPartition partition;

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
     * Hands every stored record, oldest first, to {@code consumer} (a null value is a deletion). In a cluster the
     * partition may have no reachable leader for a while as members start: the replay then starts over (later
     * records for a key supersede earlier ones, so the consumer ends with the same state).
     */
    void replay(BiConsumer<String, byte[]> consumer) throws InterruptedException {
        long deadline = System.currentTimeMillis() + REPLAY_DEADLINE_MS;
        while (true) {
            try {
                replayOnce(consumer);
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

    private void replayOnce(BiConsumer<String, byte[]> consumer) throws InterruptedException {
        long end = bridge.await(() -> bridge.api().records().offsets(partition)).highWatermark();
        long offset = bridge.await(() -> bridge.api().records().offsets(partition)).logStartOffset();
        while (offset < end) {
            long from = offset;
            RecordsRead read = bridge.await(() -> bridge.api().records().read(partition, from, READ_BYTES));
            for (StoredRecord record : read.records()) {
                if (record.key() != null) {
                    consumer.accept(new String(record.key(), StandardCharsets.UTF_8), record.value());
                }
            }
            if (read.nextOffset() <= offset) {
                break;
            }
            offset = read.nextOffset();
        }
    }

    /** Appends and waits for the broker's acknowledgement. */
    void write(String key, byte[] value) throws InterruptedException {
        NewRecord record = NewRecord.of(key.getBytes(StandardCharsets.UTF_8), value);
        bridge.await(() -> bridge.api().records().append(partition.topic(), 0, List.of(record)));
    }

    /** Appends without waiting (status updates: later ones win, failures are only logged). */
    Future<Void> writeAsync(String key, byte[] value) {
        NewRecord record = NewRecord.of(key.getBytes(StandardCharsets.UTF_8), value);
        return bridge.onContext(() -> bridge.api().records().append(partition.topic(), 0, List.of(record))).mapEmpty();
    }
}
