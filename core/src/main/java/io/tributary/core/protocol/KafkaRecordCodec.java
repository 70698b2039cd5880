package io.tributary.core.protocol;

import io.tributary.storage.RecordBatchView;
import io.tributary.storage.RecordCodec;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.CloseableIterator;

import java.nio.ByteBuffer;

/**
 * The storage cleaner's view of records, implemented with the Kafka client's own record classes: its codecs
 * decompress and recompress batches (gzip, snappy, lz4, zstd) and {@code MemoryRecords.filterTo} rewrites them
 * exactly as Kafka's LogCleaner does (offsets, producer ids, sequences, the preserved last offset, empty batches
 * kept for producer state, KIP-534 delete horizons). Kept in this package, like every use of kafka-clients'
 * internal classes. Thread-safe: each thread gets its own decompression buffers.
 */
public final class KafkaRecordCodec implements RecordCodec {

    public static final KafkaRecordCodec INSTANCE = new KafkaRecordCodec();

    private static final ThreadLocal<BufferSupplier> BUFFERS = ThreadLocal.withInitial(BufferSupplier::create);

    private KafkaRecordCodec() {
    }

    @Override
    public void forEachRecord(ByteBuffer batch, RecordVisitor visitor) {
        for (MutableRecordBatch b : MemoryRecords.readableRecords(batch.slice()).batches()) {
            try (CloseableIterator<Record> records = b.streamingIterator(BUFFERS.get())) {
                while (records.hasNext()) {
                    Record r = records.next();
                    visitor.record(r.offset(), r.hasKey() ? r.key() : null, r.hasValue());
                }
            }
        }
    }

    @Override
    public FilterResult filter(ByteBuffer input, RecordFilter filter, ByteBuffer output, long now,
                               long deleteRetentionMs) {
        ByteBuffer in = input.slice();
        ViewTrackingFilter kafkaFilter = new ViewTrackingFilter(in, filter, now, deleteRetentionMs);
        MemoryRecords.FilterResult result = MemoryRecords.readableRecords(in.duplicate())
                .filterTo(kafkaFilter, output, BUFFERS.get());
        ByteBuffer written = result.outputBuffer();
        written.flip();
        return new FilterResult(result.bytesRead(), written, result.messagesRead(), result.messagesRetained());
    }

    /**
     * The first record without a key in {@code records}, described for an INVALID_RECORD answer, or null if every
     * record has one. Compacted topics refuse keyless records (Kafka's LogValidator does the same).
     */
    public static String keylessRecord(MemoryRecords records) {
        for (MutableRecordBatch batch : records.batches()) {
            if (batch.isControlBatch()) {
                continue;
            }
            try (CloseableIterator<Record> it = batch.streamingIterator(BUFFERS.get())) {
                while (it.hasNext()) {
                    Record r = it.next();
                    if (!r.hasKey()) {
                        return "Compacted topic cannot accept message without key (record at offset delta "
                                + (r.offset() - batch.baseOffset()) + " of its batch)";
                    }
                }
            }
        }
        return null;
    }

    /**
     * Adapts the storage filter to Kafka's. filterTo visits the batches in order and asks about each batch before
     * its records, so a running position gives the storage side a header view of the current batch.
     */
    private static final class ViewTrackingFilter extends MemoryRecords.RecordFilter {
        private final ByteBuffer input;
        private final RecordFilter filter;
        private int position;
        private RecordBatchView current;

        ViewTrackingFilter(ByteBuffer input, RecordFilter filter, long now, long deleteRetentionMs) {
            super(now, deleteRetentionMs);
            this.input = input;
            this.filter = filter;
        }

        @Override
        protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
            int size = batch.sizeInBytes();
            current = RecordBatchView.wrap(input.duplicate().position(position).limit(position + size));
            position += size;
            BatchRetention retention = switch (filter.checkBatch(current)) {
                case DELETE -> BatchRetention.DELETE;
                case RETAIN_EMPTY -> BatchRetention.RETAIN_EMPTY;
                case DELETE_EMPTY -> BatchRetention.DELETE_EMPTY;
            };
            return new BatchRetentionResult(retention, filter.isMarkerForEmptyTransaction());
        }

        @Override
        protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
            return filter.retainRecord(current, record.offset(), record.hasKey() ? record.key() : null,
                    record.hasValue());
        }
    }
}
