package io.tributary.core.txn;

import io.tributary.core.group.KeyValue;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogKey;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogValue;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogValue.PartitionsSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The __transaction_state records are Kafka's: what this broker writes, Kafka's own generated TransactionLogKey and
 * TransactionLogValue classes read back, and the values Kafka writes (v0 and the flexible v1) this broker reads.
 */
class TxnLogRecordsTest {

    private static final TxnMetadata ONGOING = new TxnMetadata("app-1", 4242L, (short) 7, 60_000, TxnState.ONGOING,
            new LinkedHashSet<>(List.of(new TopicPartition("orders", 0), new TopicPartition("orders", 3),
                    new TopicPartition("__consumer_offsets", 12))), 1_700_000_000_000L, 1_700_000_001_000L);

    @Test
    void kafkaReadsWhatIsWritten() {
        KeyValue record = TxnLogRecords.record(ONGOING);
        ByteBuffer key = record.key().duplicate();
        short keyVersion = key.getShort();
        TransactionLogKey kafkaKey = new TransactionLogKey(new ByteBufferAccessor(key), keyVersion);
        assertThat(kafkaKey.transactionalId()).isEqualTo("app-1");

        ByteBuffer value = record.value().duplicate();
        short version = value.getShort();
        assertThat(version).isZero();
        TransactionLogValue kafka = new TransactionLogValue(new ByteBufferAccessor(value), version);
        assertThat(value.hasRemaining()).isFalse();
        assertThat(kafka.producerId()).isEqualTo(4242L);
        assertThat(kafka.producerEpoch()).isEqualTo((short) 7);
        assertThat(kafka.transactionTimeoutMs()).isEqualTo(60_000);
        assertThat(kafka.transactionStatus()).isEqualTo((byte) 1);
        assertThat(kafka.transactionStartTimestampMs()).isEqualTo(1_700_000_000_000L);
        assertThat(kafka.transactionLastUpdateTimestampMs()).isEqualTo(1_700_000_001_000L);
        assertThat(kafka.transactionPartitions()).extracting(PartitionsSchema::topic)
                .containsExactly("orders", "__consumer_offsets");
        assertThat(kafka.transactionPartitions().get(0).partitionIds()).containsExactly(0, 3);
    }

    @ParameterizedTest
    @ValueSource(shorts = {0, 1})
    void readsWhatKafkaWrites(short version) {
        TransactionLogValue kafka = new TransactionLogValue()
                .setProducerId(99L).setProducerEpoch((short) 3).setTransactionTimeoutMs(15_000)
                .setTransactionStatus((byte) 2)
                .setTransactionPartitions(List.of(new PartitionsSchema().setTopic("t").setPartitionIds(List.of(1, 2))))
                .setTransactionLastUpdateTimestampMs(20L).setTransactionStartTimestampMs(10L);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = kafka.size(cache, version);
        ByteBuffer bytes = ByteBuffer.allocate(2 + size).putShort(version);
        kafka.write(new ByteBufferAccessor(bytes), cache, version);
        bytes.flip();

        TxnMetadata m = TxnLogRecords.readValue("id", bytes);
        assertThat(m).isEqualTo(new TxnMetadata("id", 99L, (short) 3, 15_000, TxnState.PREPARE_COMMIT,
                Set.of(new TopicPartition("t", 1), new TopicPartition("t", 2)), 10L, 20L));
    }

    @Test
    void roundTripsEveryStateAndForgetsPartitionsWhenEmpty() {
        for (TxnState state : TxnState.values()) {
            TxnMetadata m = new TxnMetadata("x", 1L, (short) 0, 1000, state,
                    state == TxnState.EMPTY ? Set.of() : ONGOING.partitions(), 5L, 6L);
            KeyValue record = TxnLogRecords.record(m);
            assertThat(TxnLogRecords.readKey(record.key())).isEqualTo("x");
            assertThat(TxnLogRecords.readValue("x", record.value())).isEqualTo(m);
        }
        assertThat(TxnLogRecords.readValue("x", TxnLogRecords.tombstone("x").value())).isNull();
    }

    @Test
    void malformedValuesAreRefusedNotMisread() {
        assertThatThrownBy(() -> TxnLogRecords.readValue("x", ByteBuffer.wrap(new byte[]{0, 0, 1})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TxnLogRecords.readValue("x", ByteBuffer.wrap(new byte[]{0, 9})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TxnLogRecords.readKey(ByteBuffer.wrap(new byte[]{0, 5, 0}))).isNull();
    }
}
