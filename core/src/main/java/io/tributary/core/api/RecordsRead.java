package io.tributary.core.api;

import java.util.List;

/**
 * What one read of a partition returned.
 *
 * @param records        the records at or after the requested offset, in offset order (control records skipped)
 * @param nextOffset     where the next read continues: past the last record returned, or past skipped control
 *                       batches; equal to the requested offset when nothing new is there
 * @param highWatermark  the end of what consumers may read
 * @param logStartOffset the first offset still stored
 */
public record RecordsRead(List<StoredRecord> records, long nextOffset, long highWatermark, long logStartOffset) {

    public boolean isEmpty() {
        return records.isEmpty();
    }
}
