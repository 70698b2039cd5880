package io.tributary.gateway.http;

import io.tributary.core.api.ApiException;
import io.vertx.core.json.DecodeException;

/**
 * Turns any failure into the {@link HttpError} a client sees. Broker API reasons a client caused map to 4xx;
 * only failures of the broker itself become 5xx (50002, or 50003 when retrying may help).
 */
final class ErrorMapping {

    private ErrorMapping() {
    }

    static HttpError toHttpError(Throwable failure) {
        if (failure instanceof HttpError http) {
            return http;
        }
        if (failure instanceof ApiException api) {
            return fromApi(api);
        }
        if (failure instanceof DecodeException decode) {
            return HttpError.invalidBody("Malformed JSON: " + decode.getMessage());
        }
        if (failure instanceof IllegalArgumentException | failure instanceof ClassCastException) {
            return HttpError.invalidBody(String.valueOf(failure.getMessage()));
        }
        return new HttpError(500, 50002, "Internal error: " + failure);
    }

    static HttpError fromApi(ApiException e) {
        return switch (e.reason()) {
            case UNKNOWN_TOPIC -> new HttpError(404, 40401, e.getMessage());
            case UNKNOWN_PARTITION -> new HttpError(404, 40402, e.getMessage());
            case INVALID_TOPIC, INVALID_REQUEST -> new HttpError(422, 42205, e.getMessage());
            case TOPIC_EXISTS -> new HttpError(409, 40905, e.getMessage());
            case RECORD_TOO_LARGE -> new HttpError(422, 42201, e.getMessage());
            case OFFSET_OUT_OF_RANGE -> new HttpError(422, 42202, e.getMessage());
            case GROUP_ERROR -> new HttpError(409, 40903, e.getMessage());
            case UNAVAILABLE -> new HttpError(503, 50003, e.getMessage());
            case STORAGE_ERROR -> new HttpError(500, 50002, e.getMessage());
        };
    }
}
