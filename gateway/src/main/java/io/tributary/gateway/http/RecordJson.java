package io.tributary.gateway.http;

import io.tributary.core.api.RecordHeader;
import io.tributary.core.api.StoredRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Base64;

/**
 * A consumed record as JSON: {@code {"topic","key","value","partition","offset","timestamp","headers"}} with key
 * and value in the consumer's embedded format and header values in base64 (as the Strimzi bridge does).
 */
final class RecordJson {

    private RecordJson() {
    }

    static JsonObject encode(StoredRecord record, ValueCodec codec) {
        JsonObject json = new JsonObject()
                .put("topic", record.topic())
                .put("key", codec.encode(record.key()))
                .put("value", codec.encode(record.value()))
                .put("partition", record.partition())
                .put("offset", record.offset())
                .put("timestamp", record.timestamp());
        if (!record.headers().isEmpty()) {
            JsonArray headers = new JsonArray();
            for (RecordHeader h : record.headers()) {
                headers.add(new JsonObject().put("key", h.key())
                        .put("value", h.value() == null ? null : Base64.getEncoder().encodeToString(h.value())));
            }
            json.put("headers", headers);
        }
        return json;
    }

    /** What a record counts against a request's max_bytes: its key and value, as the REST Proxy counts. */
    static long size(StoredRecord record) {
        return (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
    }
}
