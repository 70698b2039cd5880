package io.tributary.gateway.http;

/**
 * A request that ends in an error answer, in the Kafka REST Proxy's shape: an HTTP status and an
 * {@code error_code} that is the status times 100 plus a subcode (or the bare status for generic errors).
 */
public final class HttpError extends RuntimeException {

    private final int status;
    private final int errorCode;

    public HttpError(int status, int errorCode, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }

    public static HttpError topicNotFound(String topic) {
        return new HttpError(404, 40401, "Topic " + topic + " not found.");
    }

    public static HttpError partitionNotFound(String topic, int partition) {
        return new HttpError(404, 40402, "Partition " + partition + " of topic " + topic + " not found.");
    }

    public static HttpError instanceNotFound(String group, String instance) {
        return new HttpError(404, 40403, "Consumer instance " + instance + " of group " + group + " not found.");
    }

    public static HttpError notFound(String what) {
        return new HttpError(404, 404, what);
    }

    public static HttpError badRequest(String message) {
        return new HttpError(400, 400, message);
    }

    /** The body is not what the API expects: malformed JSON, a wrong type, invalid base64. */
    public static HttpError invalidBody(String message) {
        return new HttpError(422, 42205, message);
    }

    public static HttpError recordTooLarge(String message) {
        return new HttpError(422, 42201, message);
    }

    public static HttpError invalidOffsetOrPartition(String message) {
        return new HttpError(422, 42202, message);
    }

    public static HttpError invalidConsumerConfig(String message) {
        return new HttpError(422, 42204, message);
    }

    public static HttpError conflict(int errorCode, String message) {
        return new HttpError(409, errorCode, message);
    }

    public static HttpError unsupportedMediaType(String contentType) {
        return new HttpError(415, 415, "Unsupported media type: " + (contentType == null ? "(none)" : contentType));
    }
}
