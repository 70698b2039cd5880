package io.tributary.connect.rest;

import io.tributary.connect.runtime.RequestException;
import io.tributary.connect.state.Json;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/** Writing REST answers: JSON bodies, and errors in Kafka Connect's {"error_code", "message"} shape. */
final class Responses {

    private static final Logger LOG = LoggerFactory.getLogger(Responses.class);

    private Responses() {
    }

    static void json(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(Json.bytes(body)));
    }

    static void empty(RoutingContext ctx, int status) {
        ctx.response().setStatusCode(status).end();
    }

    static void error(RoutingContext ctx, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        int status = cause instanceof RequestException re ? re.status() : 500;
        if (status == 500) {
            LOG.warn("REST request {} {} failed", ctx.request().method(), ctx.request().path(), cause);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", status);
        body.put("message", String.valueOf(cause.getMessage()));
        json(ctx, status, body);
    }

    /** Answers once a herder request completes, back on the request's context. */
    static <T> void whenDone(RoutingContext ctx, CompletableFuture<T> request, Function<T, Object> body, int status) {
        Future.fromCompletionStage(request, ctx.vertx().getOrCreateContext()).onComplete(ar -> {
            if (ar.failed()) {
                error(ctx, ar.cause());
                return;
            }
            Object result = body.apply(ar.result());
            if (result == null) {
                empty(ctx, status);
            } else {
                json(ctx, status, result);
            }
        });
    }

    /** Runs a read on the event loop; RequestExceptions become error answers. */
    static void now(RoutingContext ctx, int status, java.util.function.Supplier<Object> body) {
        try {
            json(ctx, status, body.get());
        } catch (RuntimeException e) {
            error(ctx, e);
        }
    }
}
