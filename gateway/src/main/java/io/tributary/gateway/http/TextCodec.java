package io.tributary.gateway.http;

import java.nio.charset.StandardCharsets;

/** {@code text}: keys and values are strings, stored as UTF-8. */
final class TextCodec implements ValueCodec {

    @Override
    public byte[] decode(Object json, String field) {
        if (json == null) {
            return null;
        }
        if (!(json instanceof String text)) {
            throw HttpError.invalidBody(field + " must be a string in the text format");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Object encode(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
