package io.tributary.connect.rest;

import io.tributary.connect.runtime.Herder;
import io.tributary.connect.runtime.RequestException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /connectors and everything under it, as in Kafka Connect's REST API. */
final class ConnectorRoutes {

    private final Herder herder;
    private final ConnectorViews views;

    ConnectorRoutes(Herder herder) {
        this.herder = herder;
        this.views = new ConnectorViews(herder);
    }

    void mount(Router router) {
        router.get("/connectors").handler(this::list);
        router.post("/connectors").handler(this::create);
        router.get("/connectors/:name").handler(ctx -> Responses.now(ctx, 200, () -> views.info(name(ctx))));
        router.delete("/connectors/:name").handler(ctx -> Responses.whenDone(ctx,
                herder.submit(() -> { herder.delete(name(ctx)); return null; }), v -> null, 204));
        router.get("/connectors/:name/config").handler(ctx -> Responses.now(ctx, 200,
                () -> herder.config(name(ctx)).orElseThrow(() -> RequestException.notFound(name(ctx)))));
        router.put("/connectors/:name/config").handler(this::putConfig);
        router.get("/connectors/:name/status").handler(ctx -> Responses.now(ctx, 200, () -> views.status(name(ctx))));
        router.get("/connectors/:name/tasks").handler(ctx -> Responses.now(ctx, 200, () -> views.tasks(name(ctx))));
        router.get("/connectors/:name/tasks/:task/status").handler(ctx -> Responses.now(ctx, 200,
                () -> views.taskStatus(name(ctx), task(ctx))));
        router.post("/connectors/:name/tasks/:task/restart").handler(ctx -> Responses.whenDone(ctx,
                herder.submit(() -> { herder.restartTask(name(ctx), task(ctx)); return null; }), v -> null, 204));
        router.put("/connectors/:name/pause").handler(ctx -> Responses.whenDone(ctx,
                herder.submit(() -> { herder.pause(name(ctx)); return null; }), v -> null, 202));
        router.put("/connectors/:name/resume").handler(ctx -> Responses.whenDone(ctx,
                herder.submit(() -> { herder.resume(name(ctx)); return null; }), v -> null, 202));
        router.put("/connectors/:name/stop").handler(ctx -> Responses.whenDone(ctx,
                herder.submit(() -> { herder.stop(name(ctx)); return null; }), v -> null, 204));
        router.post("/connectors/:name/restart").handler(this::restart);
        router.get("/connectors/:name/offsets").handler(ctx -> Responses.now(ctx, 200, () -> {
            herder.requireExists(name(ctx));
            return Map.of("offsets", herder.offsets().offsetsOf(name(ctx)));
        }));
        router.delete("/connectors/:name/offsets").handler(ctx -> Responses.whenDone(ctx,
                herder.submit(() -> { herder.resetOffsets(name(ctx)); return null; }),
                v -> Map.of("message", "The offsets for this connector have been reset successfully"), 200));
        router.get("/connectors/:name/topics").handler(ctx -> Responses.now(ctx, 200, () -> {
            herder.requireExists(name(ctx));
            String topics = herder.config(name(ctx)).orElseThrow().getOrDefault("topics", "");
            return Map.of(name(ctx), Map.of("topics", topics.isBlank() ? List.of() : List.of(topics.split("\\s*,\\s*"))));
        }));
    }

    private void list(RoutingContext ctx) {
        List<String> expand = ctx.queryParam("expand");
        if (expand.isEmpty()) {
            Responses.now(ctx, 200, () -> List.copyOf(herder.names()));
            return;
        }
        Responses.now(ctx, 200, () -> {
            Map<String, Object> all = new LinkedHashMap<>();
            for (String name : herder.names()) {
                Map<String, Object> one = new LinkedHashMap<>();
                if (expand.contains("status")) {
                    one.put("status", views.status(name));
                }
                if (expand.contains("info")) {
                    one.put("info", views.info(name));
                }
                all.put(name, one);
            }
            return all;
        });
    }

    private void create(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            Responses.error(ctx, new RequestException(400, "Request body is not a JSON object: " + e.getMessage()));
            return;
        }
        if (body == null || body.getValue("config") == null || !(body.getValue("config") instanceof JsonObject)) {
            Responses.error(ctx, new RequestException(400, "Request body must have a \"config\" object"));
            return;
        }
        Map<String, String> config = strings(body.getJsonObject("config"));
        String name = body.getString("name", config.get("name"));
        if (name == null || name.isBlank()) {
            Responses.error(ctx, new RequestException(400, "name: Connector name must be given"));
            return;
        }
        if (config.containsKey("name") && !config.get("name").equals(name)) {
            Responses.error(ctx, new RequestException(400, "name: Connector name configuration (" + config.get("name")
                    + ") doesn't match connector name in the URL (" + name + ")"));
            return;
        }
        Responses.whenDone(ctx, herder.submit(() -> herder.put(name, config, true)), created -> views.info(name), 201);
    }

    private void putConfig(RoutingContext ctx) {
        String name = name(ctx);
        Map<String, String> config;
        try {
            config = strings(ctx.body().asJsonObject());
        } catch (RuntimeException e) {
            Responses.error(ctx, new RequestException(400, "Request body is not a JSON object: " + e.getMessage()));
            return;
        }
        if (config.containsKey("name") && !config.get("name").equals(name)) {
            Responses.error(ctx, new RequestException(400, "name: Connector name configuration (" + config.get("name")
                    + ") doesn't match connector name in the URL (" + name + ")"));
            return;
        }
        herder.submit(() -> herder.put(name, config, false)).whenComplete((created, e) ->
                ctx.vertx().getOrCreateContext().runOnContext(v -> {
                    if (e != null) {
                        Responses.error(ctx, e);
                    } else {
                        Responses.now(ctx, created ? 201 : 200, () -> views.info(name));
                    }
                }));
    }

    private void restart(RoutingContext ctx) {
        String name = name(ctx);
        boolean includeTasks = Boolean.parseBoolean(ctx.request().getParam("includeTasks", "false"));
        boolean onlyFailed = Boolean.parseBoolean(ctx.request().getParam("onlyFailed", "false"));
        Responses.whenDone(ctx, herder.submit(() -> {
            herder.restart(name, includeTasks, onlyFailed);
            return null;
        }), v -> includeTasks ? views.status(name) : null, includeTasks ? 202 : 204);
    }

    private static Map<String, String> strings(JsonObject json) {
        if (json == null) {
            throw new IllegalArgumentException("empty body");
        }
        Map<String, String> config = new LinkedHashMap<>();
        json.forEach(e -> config.put(e.getKey(), e.getValue() == null ? null : String.valueOf(e.getValue())));
        return config;
    }

    private static String name(RoutingContext ctx) {
        return ctx.pathParam("name");
    }

    private static int task(RoutingContext ctx) {
        try {
            return Integer.parseInt(ctx.pathParam("task"));
        } catch (NumberFormatException e) {
            throw new RequestException(404, "Task " + ctx.pathParam("task") + " not found");
        }
    }
}
