package io.tributary.storage;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static io.tributary.storage.LogTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordBatchViewTest {

    @Test
    void headerFieldsMatchTheKafkaClient() {
        ByteBuffer bytes = build(Compression.gzip().build(), 42L, (short) 3, 17, true, T0, 5, 20);
        MutableRecordBatch kafka = kafkaBatches(bytes).get(0);
        RecordBatchView view = RecordBatchView.wrap(bytes);

        assertThat(view.baseOffset()).isEqualTo(kafka.baseOffset());
        assertThat(view.lastOffset()).isEqualTo(kafka.lastOffset());
        assertThat(view.lastOffsetDelta()).isEqualTo(4);
        assertThat(view.sizeInBytes()).isEqualTo(kafka.sizeInBytes());
        assertThat(view.magic()).isEqualTo(kafka.magic());
        assertThat(view.compressionCodecId()).isEqualTo(kafka.compressionType().id);
        assertThat(view.isTransactional()).isTrue();
        assertThat(view.isControl()).isFalse();
        assertThat(view.isLogAppendTime()).isFalse();
        assertThat(view.maxTimestamp()).isEqualTo(kafka.maxTimestamp());
        assertThat(view.baseTimestamp()).isEqualTo(T0);
        assertThat(view.producerId()).isEqualTo(42L);
        assertThat(view.producerEpoch()).isEqualTo((short) 3);
        assertThat(view.baseSequence()).isEqualTo(17);
        assertThat(view.lastSequence()).isEqualTo(kafka.lastSequence());
        assertThat(view.recordCount()).isEqualTo(kafka.countOrNull());
        assertThat(view.hasProducerId()).isTrue();
        assertThat(view.partitionLeaderEpoch()).isEqualTo(kafka.partitionLeaderEpoch());
        assertThat(view.isValid()).isTrue();
        assertThat(view.buffer().remaining()).isEqualTo(kafka.sizeInBytes());
    }

    @Test
    void lastSequenceWrapsPastIntMax() {
        ByteBuffer bytes = idempotent(1L, 0, Integer.MAX_VALUE - 1, 4);
        RecordBatchView view = RecordBatchView.wrap(bytes);
        assertThat(view.lastSequence()).isEqualTo(1).isEqualTo(((DefaultRecordBatch) kafkaBatches(bytes).get(0)).lastSequence());
    }

    @Test
    void detectsAFlippedPayloadByte() {
        ByteBuffer bytes = batch(T0, 3);
        bytes.put(bytes.limit() - 2, (byte) (bytes.get(bytes.limit() - 2) ^ 0x40));
        assertThat(RecordBatchView.wrap(bytes).isValid()).isFalse();
    }

    @Test
    void viewIsIndependentOfTheCallersPosition() {
        ByteBuffer bytes = batch(T0, 2);
        RecordBatchView view = RecordBatchView.wrap(bytes);
        bytes.position(30);
        assertThat(view.recordCount()).isEqualTo(2);
        assertThat(view.buffer().position()).isZero();
    }

    @Test
    void refusesLessThanAHeader() {
        assertThatThrownBy(() -> RecordBatchView.wrap(ByteBuffer.allocate(20)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
