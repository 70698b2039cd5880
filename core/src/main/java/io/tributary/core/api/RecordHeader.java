package io.tributary.core.api;

import java.util.Objects;

/** One record header: a string key and a value that may be null, as in Kafka. */
public record RecordHeader(String key, byte[] value) {

    public RecordHeader {
        Objects.requireNonNull(key, "header key");
    }
}
