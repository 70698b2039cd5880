package io.tributary.core.api;

import java.util.List;

/**
 * A record to append.
 *
 * @param key       null for a record without a key
 * @param value     null for a tombstone
 * @param timestamp the create time in epoch milliseconds, or {@link #NOW} to use the broker's clock
 */
public record NewRecord(byte[] key, byte[] value, List<RecordHeader> headers, long timestamp) {

    public static final long NOW = -1L;

    public NewRecord {
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    public static NewRecord of(byte[] key, byte[] value) {
        return new NewRecord(key, value, List.of(), NOW);
    }
}
