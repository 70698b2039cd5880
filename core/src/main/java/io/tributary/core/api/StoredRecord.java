package io.tributary.core.api;

import java.util.List;

/** A record as read back from a partition, with its position in the log. */
public record StoredRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                           List<RecordHeader> headers) {

    /** The value of the last header named {@code name}, or null. */
    public byte[] header(String name) {
        for (int i = headers.size() - 1; i >= 0; i--) {
            if (headers.get(i).key().equals(name)) {
                return headers.get(i).value();
            }
        }
        return null;
    }
}
