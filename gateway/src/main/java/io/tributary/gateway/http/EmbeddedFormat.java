package io.tributary.gateway.http;

import java.util.Locale;

/**
 * The REST Proxy's embedded formats: how keys and values travel inside the JSON of produce requests and
 * consumed records. The media type names the format, as in {@code application/vnd.kafka.binary.v2+json}.
 */
enum EmbeddedFormat {
    BINARY("binary", new BinaryCodec()),
    JSON("json", new JsonCodec()),
    TEXT("text", new TextCodec());

    private final String name;
    private final ValueCodec codec;

    EmbeddedFormat(String name, ValueCodec codec) {
        this.name = name;
        this.codec = codec;
    }

    String formatName() {
        return name;
    }

    ValueCodec codec() {
        return codec;
    }

    String mediaType() {
        return "application/vnd.kafka." + name + ".v2+json";
    }

    /** The format a consumer instance is created with ({@code "binary"}, {@code "json"}, {@code "text"}). */
    static EmbeddedFormat byName(String name) {
        for (EmbeddedFormat f : values()) {
            if (f.name.equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw HttpError.invalidConsumerConfig("format must be binary, json or text, was " + name);
    }

    /** The format a media type names, or null when it names none (parameters such as charset are ignored). */
    static EmbeddedFormat byMediaType(String mediaType) {
        if (mediaType == null) {
            return null;
        }
        String bare = MediaTypes.bare(mediaType);
        for (EmbeddedFormat f : values()) {
            if (f.mediaType().equals(bare)) {
                return f;
            }
        }
        return null;
    }
}
