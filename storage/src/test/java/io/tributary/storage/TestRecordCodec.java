package io.tributary.storage;

import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.CloseableIterator;

import java.nio.ByteBuffer;

/**
 * The cleaner's record codec for storage tests, on the Kafka client's classes. The broker's own implementation
 * (io.tributary.core.protocol.KafkaRecordCodec) is the same adapter; core cannot be a dependency of storage.
 */
final class TestRecordCodec implements RecordCodec {
    static final TestRecordCodec INSTANCE = new TestRecordCodec();

    @Override
    public void forEachRecord(ByteBuffer batch, RecordVisitor visitor) {
        for (MutableRecordBatch b : MemoryRecords.readableRecords(batch.slice()).batches()) {
            try (CloseableIterator<Record> it = b.streamingIterator(BufferSupplier.NO_CACHING)) {
                while (it.hasNext()) {
                    Record r = it.next();
                    visitor.record(r.offset(), r.hasKey() ? r.key() : null, r.hasValue());
                }
            }
        }
    }

    @Override
    public FilterResult filter(ByteBuffer input, RecordFilter filter, ByteBuffer output, long now, long deleteRetentionMs) {
        ByteBuffer in = input.slice();
        int[] position = {0};
        RecordBatchView[] current = new RecordBatchView[1];
        MemoryRecords.RecordFilter f = new MemoryRecords.RecordFilter(now, deleteRetentionMs) {
            @Override
            protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
                int size = batch.sizeInBytes();
                current[0] = RecordBatchView.wrap(in.duplicate().position(position[0]).limit(position[0] + size));
                position[0] += size;
                BatchRetention retention = BatchRetention.valueOf(filter.checkBatch(current[0]).name());
                return new BatchRetentionResult(retention, filter.isMarkerForEmptyTransaction());
            }

            @Override
            protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
                return filter.retainRecord(current[0], record.offset(), record.hasKey() ? record.key() : null, record.hasValue());
            }
        };
        MemoryRecords.FilterResult r = MemoryRecords.readableRecords(in.duplicate()).filterTo(f, output, BufferSupplier.NO_CACHING);
        ByteBuffer out = r.outputBuffer();
        out.flip();
        return new FilterResult(r.bytesRead(), out, r.messagesRead(), r.messagesRetained());
    }
}
