package io.tributary.gateway.http;

import io.tributary.core.api.Metrics;
import io.vertx.ext.web.Router;

/**
 * {@code GET /metrics}: every meter of the broker, the gateways and the JVM in Prometheus' text format. The
 * scrape renders thousands of series for a large broker, so it runs on a worker, never on an event loop.
 */
final class MetricsRoute {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Metrics metrics;

    MetricsRoute(Metrics metrics) {
        this.metrics = metrics;
    }

    void mount(Router router) {
        router.get("/metrics").handler(ctx -> ctx.vertx().executeBlocking(metrics::scrape, false)
                .onSuccess(text -> ctx.response().putHeader("Content-Type", PROMETHEUS_TEXT).end(text))
                .onFailure(ctx::fail));
    }
}
