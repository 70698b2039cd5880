package io.tributary.gateway.http;

import io.tributary.core.api.BrokerApi;
import io.tributary.gateway.mqtt.MqttClients;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;

import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** Assembles the gateway's router: body limits, every resource's routes, and REST Proxy shaped errors. */
final class HttpRouterFactory {

    private final BrokerApi api;
    private final HttpSettings settings;
    private final ConsumerRegistry consumers;
    private final Handler<ServerWebSocket> mqtt;
    private final MqttClients mqttClients;
    private final Buffer openApi;
    private final BooleanSupplier accepting;

    HttpRouterFactory(BrokerApi api, HttpSettings settings, ConsumerRegistry consumers, Handler<ServerWebSocket> mqtt,
                      MqttClients mqttClients, Buffer openApi, BooleanSupplier accepting) {
        this.api = api;
        this.settings = settings;
        this.consumers = consumers;
        this.mqtt = mqtt;
        this.mqttClients = mqttClients;
        this.openApi = openApi;
        this.accepting = accepting;
    }

    Router create(Vertx vertx) {
        return create(vertx, null, null);
    }

    /** A router whose requests first pass {@code guard} (authentication and ACLs of {@code listener}). */
    Router create(Vertx vertx, io.tributary.core.config.Listener listener,
                  java.util.function.BiConsumer<Router, io.tributary.core.config.Listener> guard) {
        Router router = Router.router(vertx);
        ErrorResponder errors = new ErrorResponder();
        router.route().failureHandler(errors);
        for (int status : List.of(400, 404, 405, 413, 415, 500)) {
            router.errorHandler(status, errors);
        }
        if (!settings.corsAllowedOrigins().isEmpty()) {
            router.route().handler(cors(settings.corsAllowedOrigins()));
        }
        // Bodies only where requests carry them; streams and upgrades are never buffered. One route for all
        // paths and methods, so that a path with no route for the method still answers 405, not 404.
        BodyHandler body = BodyHandler.create(false).setBodyLimit(settings.maxRequestBytes());
        router.route().handler(ctx -> {
            if (carriesBody(ctx)) {
                body.handle(ctx);
            } else {
                ctx.next();
            }
        });

        if (guard != null) {
            guard.accept(router, listener);
        }
        new ProduceRoutes(api.records()).mount(router);
        new TopicRoutes(api.topics(), api.records(), settings.nodeId()).mount(router);
        new StreamRoutes(api.topics(), api.records(), settings.streamHeartbeatMs()).mount(router);
        new ConsumerRoutes(consumers, settings, api.topics()).mount(router);
        new MqttWebSocketRoute(mqtt).mount(router);
        new HealthRoutes(api.topics(), accepting).mount(router);
        new OpenApiRoute(openApi).mount(router);
        new MetricsRoute(api.metrics()).mount(router);
        new AdminRoutes(api.admin(), api.topics(), mqttClients).mount(router);
        new ConsoleRoutes().mount(router);
        return router;
    }

    /** Lets pages from the configured origins call the API and follow streams (EventSource resends Last-Event-ID). */
    private static CorsHandler cors(List<String> origins) {
        CorsHandler cors = CorsHandler.create();
        if (!origins.contains("*")) {
            cors.addOrigins(origins);
        }
        return cors.allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE))
                .allowedHeaders(Set.of("Content-Type", "Accept", "Last-Event-ID"))
                .maxAgeSeconds(3600);
    }

    /** POSTs, and GET .../offsets, which carries the partitions to look up as the REST Proxy's does. */
    private static boolean carriesBody(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        String path = ctx.request().path();
        return method == HttpMethod.POST || method == HttpMethod.PUT
                || (method == HttpMethod.GET && path.startsWith("/consumers/") && path.endsWith("/offsets"));
    }
}
