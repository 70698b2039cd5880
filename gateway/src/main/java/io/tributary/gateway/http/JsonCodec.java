package io.tributary.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;

import java.nio.charset.StandardCharsets;

/**
 * {@code json}: keys and values are any JSON value, stored as its UTF-8 serialisation. Stored bytes that are not
 * JSON (written by some other client) are returned as a JSON string rather than failing the whole response.
 */
final class JsonCodec implements ValueCodec {

    @Override
    public byte[] decode(Object json, String field) {
        if (json == null) {
            return null;
        }
        return Json.encodeToBuffer(json).getBytes();
    }

    @Override
    public Object encode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return Json.decodeValue(Buffer.buffer(bytes));
        } catch (DecodeException e) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
