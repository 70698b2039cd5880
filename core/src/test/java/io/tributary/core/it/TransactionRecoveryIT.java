package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import io.tributary.storage.LogConfig;
import io.tributary.storage.PartitionLog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogKey;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogValue;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogValue.PartitionsSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tributary.core.it.TxnItSupport.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transactions a crash left half-decided: the broker stopped after writing PrepareCommit or PrepareAbort to
 * __transaction_state but before the markers. The logs are written here as Kafka's own classes write them
 * (TransactionLogKey/TransactionLogValue v0, transactional batches); at the next start the coordinator must finish
 * both, so read_committed consumers see exactly the committed one.
 */
class TransactionRecoveryIT {

    @TempDir
    Path dataDir;

    private EmbeddedBroker broker;

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void preparedTransactionsAreCompletedAtStartUp() throws Exception {
        broker = EmbeddedBroker.start(dataDir, Map.of("transaction.state.log.num.partitions", "1"));
        ItClients.createTopic(broker.bootstrapServers(), "recover", 2);
        broker.stop();

        long now = System.currentTimeMillis();
        appendTo("recover-0", transactionalBatch(777L, "c1", "c2"));
        appendTo("recover-1", transactionalBatch(888L, "a1"));
        appendTo("__transaction_state-0", stateRecord("committing", 777L, (byte) 2, "recover", 0, now));
        appendTo("__transaction_state-0", stateRecord("aborting", 888L, (byte) 3, "recover", 1, now));

        broker = EmbeddedBroker.start(dataDir, Map.of("transaction.state.log.num.partitions", "1"));
        String bootstrap = broker.bootstrapServers();
        assertThat(values(bootstrap, "recover", 2, true)).containsExactly("c1", "c2");
        assertThat(values(bootstrap, "recover", 2, false)).containsExactly("c1", "c2", "a1");
        try (Admin admin = ItClients.admin(bootstrap)) {
            Map<String, TransactionDescription> described = admin.describeTransactions(List.of("committing", "aborting"))
                    .all().get(10, TimeUnit.SECONDS);
            assertThat(described.get("committing").state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
            assertThat(described.get("committing").producerId()).isEqualTo(777L);
            assertThat(described.get("aborting").state()).isEqualTo(TransactionState.COMPLETE_ABORT);
        }
    }

    private void appendTo(String partitionDir, ByteBuffer batch) throws Exception {
        try (PartitionLog log = PartitionLog.open(dataDir.resolve(partitionDir), LogConfig.DEFAULT, Clock.systemUTC())) {
            log.append(batch, 0);
        }
    }

    private static ByteBuffer transactionalBatch(long producerId, String... values) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024), RecordBatch.CURRENT_MAGIC_VALUE,
                Compression.NONE, TimestampType.CREATE_TIME, 0L, System.currentTimeMillis(), producerId, (short) 0, 0,
                true, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (String v : values) {
            builder.append(System.currentTimeMillis(), v.getBytes(StandardCharsets.UTF_8), v.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build().buffer();
    }

    /** One __transaction_state record as Kafka's coordinator writes it (key and value version 0). */
    private static ByteBuffer stateRecord(String transactionalId, long producerId, byte status, String topic,
                                          int partition, long now) {
        ByteBuffer key = serialize(new TransactionLogKey().setTransactionalId(transactionalId));
        ByteBuffer value = serialize(new TransactionLogValue().setProducerId(producerId).setProducerEpoch((short) 0)
                .setTransactionTimeoutMs(60_000).setTransactionStatus(status)
                .setTransactionPartitions(List.of(new PartitionsSchema().setTopic(topic)
                        .setPartitionIds(List.of(partition))))
                .setTransactionLastUpdateTimestampMs(now).setTransactionStartTimestampMs(now));
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024), Compression.NONE,
                TimestampType.CREATE_TIME, 0L);
        builder.append(now, key, value);
        return builder.build().buffer();
    }

    private static ByteBuffer serialize(ApiMessage message) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = message.size(cache, (short) 0);
        ByteBuffer buf = ByteBuffer.allocate(2 + size).putShort((short) 0);
        message.write(new ByteBufferAccessor(buf), cache, (short) 0);
        return buf.flip();
    }
}
