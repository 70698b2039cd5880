package io.tributary.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's failure handler: every failure, whether thrown by a route, passed to {@code ctx.fail} or raised
 * by vertx-web itself (404, 405, 413, 415), is answered as {@code {"error_code":..,"message":..}}.
 */
final class ErrorResponder implements Handler<RoutingContext> {

    static final String ERROR_CONTENT_TYPE = "application/vnd.kafka.v2+json";
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

    @Override
    public void handle(RoutingContext ctx) {
        HttpError error = toHttpError(ctx.failure(), ctx.statusCode());
        if (error.status() >= 500) {
            LOG.warn("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
        }
        send(ctx.response(), error);
    }

    static void send(HttpServerResponse response, HttpError error) {
        if (response.headWritten() || response.closed()) {
            return;
        }
        String body = new JsonObject().put("error_code", error.errorCode()).put("message", error.getMessage()).encode();
        response.setStatusCode(error.status())
                .putHeader("Content-Type", ERROR_CONTENT_TYPE)
                .end(body);
    }

    /**
     * Our own failures carry their answer; vertx-web's handlers fail with a status (and sometimes an exception
     * of theirs, as the CORS handler's 403), which is kept when it is a client error.
     */
    private static HttpError toHttpError(Throwable failure, int status) {
        if (failure == null) {
            return fromStatus(status);
        }
        if (status >= 400 && status < 500 && !(failure instanceof HttpError)) {
            HttpError byStatus = fromStatus(status);
            return new HttpError(byStatus.status(), byStatus.errorCode(),
                    failure.getMessage() != null ? failure.getMessage() : byStatus.getMessage());
        }
        return ErrorMapping.toHttpError(failure);
    }

    /** Failures vertx-web raises carry only a status. */
    private static HttpError fromStatus(int status) {
        return switch (status) {
            case 404 -> HttpError.notFound("HTTP 404 Not Found");
            case 405 -> new HttpError(405, 405, "HTTP 405 Method Not Allowed");
            case 413 -> new HttpError(413, 413, "Request body is larger than http.max.request.bytes");
            case 415 -> HttpError.unsupportedMediaType(null);
            case 400 -> HttpError.badRequest("HTTP 400 Bad Request");
            default -> status >= 400 && status < 500 ? new HttpError(status, status, "HTTP " + status)
                    : new HttpError(500, 50002, "Internal error");
        };
    }
}
