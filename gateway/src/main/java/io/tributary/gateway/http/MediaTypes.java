package io.tributary.gateway.http;

import java.util.Locale;

/** Media type names the gateway speaks, and parsing of Content-Type and Accept values. */
final class MediaTypes {

    static final String KAFKA_V2 = "application/vnd.kafka.v2+json";
    static final String JSON = "application/json";

    private MediaTypes() {
    }

    /** The type without parameters, lower-cased: {@code "application/json; charset=utf-8"} gives {@code "application/json"}. */
    static String bare(String mediaType) {
        int semi = mediaType.indexOf(';');
        return (semi < 0 ? mediaType : mediaType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** True for the JSON media types that carry API bodies other than records (consumer settings, offsets). */
    static boolean isApiJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String bare = bare(contentType);
        return bare.equals(KAFKA_V2) || bare.equals(JSON) || bare.equals("application/vnd.kafka+json");
    }

    /**
     * The embedded format an Accept header asks for: the first listed type that names one, else null (for
     * {@code *}{@code /*}, {@code application/json} or no header).
     */
    static EmbeddedFormat acceptedFormat(String accept) {
        if (accept == null) {
            return null;
        }
        for (String part : accept.split(",")) {
            EmbeddedFormat format = EmbeddedFormat.byMediaType(part);
            if (format != null) {
                return format;
            }
        }
        return null;
    }
}
