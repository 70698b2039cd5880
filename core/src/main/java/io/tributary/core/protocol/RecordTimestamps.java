package io.tributary.core.protocol;

import io.tributary.storage.RecordBatchView;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * Finds single records inside a stored batch by timestamp. The log indexes batches; only the batch
 * found there is decompressed, with the client library's codecs.
 */
public final class RecordTimestamps {

    /** An offset and the timestamp of the record at it. */
    public record Found(long offset, long timestamp) {
    }

    private RecordTimestamps() {
    }

    /** The first record in {@code batch} whose timestamp is at least {@code target}, if any. */
    public static Found firstAtOrAfter(RecordBatchView batch, long target) {
        RecordBatch decoded = decode(batch);
        if (decoded.timestampType() == org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME) {
            return batch.maxTimestamp() >= target ? new Found(batch.baseOffset(), batch.maxTimestamp()) : null;
        }
        for (Record record : decoded) {
            if (record.timestamp() >= target) {
                return new Found(record.offset(), record.timestamp());
            }
        }
        return null;
    }

    /** The earliest record in {@code batch} that carries the batch's largest timestamp. */
    public static Found largest(RecordBatchView batch) {
        RecordBatch decoded = decode(batch);
        if (decoded.timestampType() == org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME) {
            return new Found(batch.lastOffset(), batch.maxTimestamp());
        }
        Found best = null;
        for (Record record : decoded) {
            if (best == null || record.timestamp() > best.timestamp()) {
                best = new Found(record.offset(), record.timestamp());
            }
        }
        return best;
    }

    private static RecordBatch decode(RecordBatchView batch) {
        return MemoryRecords.readableRecords(batch.buffer()).batches().iterator().next();
    }
}
