package io.tributary.connect.rest;

import io.tributary.connect.plugins.Plugins;
import io.tributary.connect.runtime.Herder;
import io.tributary.connect.runtime.RequestException;
import io.tributary.core.BoundListener;
import io.tributary.core.config.Listener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Kafka Connect REST API on connect.listeners, served on the broker's Vert.x by vertx-web. */
public final class RestServer {

    private static final long MAX_BODY_BYTES = 1 << 20;

    private final Vertx vertx;
    private final Router router;
    private final List<HttpServer> servers = new ArrayList<>();

    public RestServer(Vertx vertx, Herder herder, Plugins plugins, String version) {
        this.vertx = vertx;
        this.router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
        router.get("/").handler(ctx -> {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("version", version);
            root.put("commit", "tributary");
            root.put("kafka_cluster_id", "tributary");
            Responses.json(ctx, 200, root);
        });
        new ConnectorRoutes(herder).mount(router);
        new PluginRoutes(herder, plugins).mount(router);
        router.route().last().handler(ctx -> Responses.error(ctx, new RequestException(404, "HTTP 404 Not Found")));
        router.errorHandler(500, ctx -> Responses.error(ctx, ctx.failure() == null
                ? new RequestException(500, "Internal error") : ctx.failure()));
    }

    /** Binds every listener; completes with what was bound (port 0 resolved). */
    public Future<List<BoundListener>> start(List<Listener> listeners) {
        Future<Void> chain = Future.succeededFuture();
        List<BoundListener> bound = new ArrayList<>();
        for (Listener listener : listeners) {
            chain = chain.compose(v -> vertx.createHttpServer(new HttpServerOptions()
                            .setHost(listener.bindHost()).setPort(listener.port()))
                    .requestHandler(router).listen()
                    .map(server -> {
                        servers.add(server);
                        bound.add(new BoundListener(listener.name(), listener.host(), server.actualPort()));
                        return null;
                    }));
        }
        return chain.map(v -> List.copyOf(bound));
    }

    public Future<Void> stop() {
        List<Future<Void>> closes = servers.stream().map(HttpServer::close).toList();
        return Future.join(closes).mapEmpty();
    }
}
