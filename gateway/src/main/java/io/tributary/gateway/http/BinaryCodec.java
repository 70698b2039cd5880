package io.tributary.gateway.http;

import java.util.Base64;

/** {@code binary}: keys and values are base64 strings of the raw bytes. */
final class BinaryCodec implements ValueCodec {

    @Override
    public byte[] decode(Object json, String field) {
        if (json == null) {
            return null;
        }
        if (!(json instanceof String text)) {
            throw HttpError.invalidBody(field + " must be a base64 string in the binary format");
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw HttpError.invalidBody(field + " is not valid base64: " + e.getMessage());
        }
    }

    @Override
    public Object encode(byte[] bytes) {
        return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }
}
