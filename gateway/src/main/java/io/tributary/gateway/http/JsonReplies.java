package io.tributary.gateway.http;

import io.vertx.ext.web.RoutingContext;

/** Writes JSON answers with the REST Proxy's media type. */
final class JsonReplies {

    private JsonReplies() {
    }

    static void send(RoutingContext ctx, int status, Object body) {
        if (ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", MediaTypes.KAFKA_V2)
                .end(io.vertx.core.json.Json.encodeToBuffer(body));
    }

    static void noContent(RoutingContext ctx) {
        if (!ctx.response().closed()) {
            ctx.response().setStatusCode(204).end();
        }
    }
}
