package io.tributary.gateway.http;

import io.tributary.core.api.Topics;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.function.BooleanSupplier;

/**
 * {@code /health/live} answers while the process serves HTTP at all; {@code /health/ready} only while the gateway
 * is started (not stopping) and the broker answers metadata, for load balancers and Kubernetes probes.
 */
final class HealthRoutes {

    private final Topics topics;
    private final BooleanSupplier accepting;

    HealthRoutes(Topics topics, BooleanSupplier accepting) {
        this.topics = topics;
        this.accepting = accepting;
    }

    void mount(Router router) {
        router.get("/health/live").handler(ctx -> JsonReplies.send(ctx, 200, new JsonObject().put("status", "UP")));
        router.get("/health/ready").handler(ctx -> {
            boolean ready = accepting.getAsBoolean() && brokerAnswers();
            JsonReplies.send(ctx, ready ? 200 : 503, new JsonObject().put("status", ready ? "UP" : "DOWN"));
        });
    }

    private boolean brokerAnswers() {
        try {
            topics.list();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
