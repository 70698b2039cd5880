package io.tributary.gateway.http;

import io.tributary.core.api.NewRecord;
import io.tributary.core.api.RecordHeader;
import io.tributary.core.api.Records;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * Parses produce bodies. The REST Proxy's media types carry {@code {"records":[{"key","value","partition",
 * "headers","timestamp"}]}} with keys and values in the named embedded format; a plain {@code application/json}
 * body is one JSON object (or an array of them), each becoming a keyless record with that JSON as its value,
 * for devices that cannot wrap what they send.
 */
final class ProduceRequestParser {

    private ProduceRequestParser() {
    }

    /** Checks the media type before reading the body, so a body in an unsupported type is a 415, not a 422. */
    static List<ProduceRecord> parse(String contentType, Supplier<Object> body) {
        if (contentType == null) {
            throw HttpError.unsupportedMediaType(null);
        }
        EmbeddedFormat format = EmbeddedFormat.byMediaType(contentType);
        if (format != null) {
            return parseRecords(format.codec(), body.get());
        }
        if (MediaTypes.bare(contentType).equals(MediaTypes.JSON)) {
            return parsePlain(body.get());
        }
        throw HttpError.unsupportedMediaType(contentType);
    }

    private static List<ProduceRecord> parseRecords(ValueCodec codec, Object body) {
        if (body == null) {
            throw HttpError.invalidBody("The body must be a JSON object with a records array");
        }
        JsonArray records = RequestBodies.array(RequestBodies.object(body, "The body"), "records", true);
        if (records.isEmpty()) {
            throw HttpError.invalidBody("records must not be empty");
        }
        List<ProduceRecord> parsed = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            JsonObject r = RequestBodies.object(records.getValue(i), "records[" + i + "]");
            String at = "records[" + i + "].";
            byte[] key = codec.decode(r.getValue("key"), at + "key");
            byte[] value = codec.decode(r.getValue("value"), at + "value");
            Long partition = RequestBodies.integer(r, "partition");
            if (partition != null && (partition < 0 || partition > Integer.MAX_VALUE)) {
                throw HttpError.invalidOffsetOrPartition(at + "partition must be a partition number");
            }
            Long timestamp = RequestBodies.integer(r, "timestamp");
            NewRecord record = new NewRecord(key, value, headers(r, at),
                    timestamp == null ? NewRecord.NOW : timestamp);
            parsed.add(new ProduceRecord(partition == null ? Records.ANY_PARTITION : partition.intValue(), record));
        }
        return parsed;
    }

    /** Headers as the Strimzi bridge writes them: {@code [{"key":"k","value":"<base64>"}]}. */
    private static List<RecordHeader> headers(JsonObject record, String at) {
        JsonArray headers = RequestBodies.array(record, "headers", false);
        if (headers == null) {
            return List.of();
        }
        List<RecordHeader> parsed = new ArrayList<>(headers.size());
        for (int i = 0; i < headers.size(); i++) {
            JsonObject h = RequestBodies.object(headers.getValue(i), at + "headers[" + i + "]");
            String key = RequestBodies.requiredString(h, "key");
            String value = RequestBodies.string(h, "value", null);
            try {
                parsed.add(new RecordHeader(key, value == null ? null : Base64.getDecoder().decode(value)));
            } catch (IllegalArgumentException e) {
                throw HttpError.invalidBody(at + "headers[" + i + "].value is not valid base64");
            }
        }
        return parsed;
    }

    private static List<ProduceRecord> parsePlain(Object body) {
        if (body == null) {
            throw HttpError.invalidBody("The body must be a JSON object or an array of them");
        }
        int count = body instanceof JsonArray array ? array.size() : 1;
        if (count == 0) {
            throw HttpError.invalidBody("The array must not be empty");
        }
        ValueCodec json = EmbeddedFormat.JSON.codec();
        List<ProduceRecord> parsed = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Object element = body instanceof JsonArray array ? array.getValue(i) : body;
            parsed.add(new ProduceRecord(Records.ANY_PARTITION, NewRecord.of(null, json.decode(element, "value"))));
        }
        return parsed;
    }
}
