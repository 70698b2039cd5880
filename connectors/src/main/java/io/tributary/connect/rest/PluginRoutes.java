package io.tributary.connect.rest;

import io.tributary.connect.plugins.PluginDescriptor;
import io.tributary.connect.plugins.Plugins;
import io.tributary.connect.runtime.ConnectorValidator;
import io.tributary.connect.runtime.Herder;
import io.tributary.connect.runtime.RequestException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Connector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /connector-plugins: what can be run, its settings, and validation of a config against it. */
final class PluginRoutes {

    private final Herder herder;
    private final Plugins plugins;

    PluginRoutes(Herder herder, Plugins plugins) {
        this.herder = herder;
        this.plugins = plugins;
    }

    void mount(Router router) {
        router.get("/connector-plugins").handler(this::list);
        router.get("/connector-plugins/:plugin/config").handler(this::describe);
        router.put("/connector-plugins/:plugin/config/validate").handler(this::validate);
    }

    private void list(RoutingContext ctx) {
        boolean connectorsOnly = Boolean.parseBoolean(ctx.request().getParam("connectorsOnly", "true"));
        List<PluginDescriptor> found = connectorsOnly ? plugins.ofType("source", "sink")
                : plugins.ofType("source", "sink", "converter", "header_converter", "transformation", "predicate");
        Responses.now(ctx, 200, () -> found.stream().map(p -> {
            Map<String, Object> plugin = new LinkedHashMap<>();
            plugin.put("class", p.className());
            plugin.put("type", p.type());
            plugin.put("version", p.version());
            return plugin;
        }).toList());
    }

    private void describe(RoutingContext ctx) {
        String name = ctx.pathParam("plugin");
        // Instantiating plugin code may block: off the event loop.
        Responses.whenDone(ctx, herder.submit(() -> {
            PluginDescriptor plugin = plugins.connector(name)
                    .orElseThrow(() -> new RequestException(404, "Unknown plugin " + name));
            Connector connector = plugins.newInstance(plugin.className(), Connector.class, plugin.loader());
            ConfigDef def = Plugins.withLoader(plugin.loader(), connector::config);
            return def.configKeys().values().stream().map(ConnectorValidator::definition).toList();
        }), definitions -> definitions, 200);
    }

    private void validate(RoutingContext ctx) {
        String name = ctx.pathParam("plugin");
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            Responses.error(ctx, new RequestException(400, "Request body is not a JSON object: " + e.getMessage()));
            return;
        }
        Map<String, String> config = new LinkedHashMap<>();
        if (body != null) {
            body.forEach(e -> config.put(e.getKey(), e.getValue() == null ? null : String.valueOf(e.getValue())));
        }
        String configured = config.get("connector.class");
        if (configured != null && plugins.connector(configured).map(p -> !matches(p, name)).orElse(false)) {
            Responses.error(ctx, new RequestException(400, "connector.class: Included connector type " + configured
                    + " does not match request type " + name));
            return;
        }
        config.putIfAbsent("connector.class", name);
        // Connector validate() may block (a JDBC sink might try its database): off the event loop.
        Responses.whenDone(ctx, herder.submit(() -> herder.validate(config)), ConnectorValidator.Result::configInfos, 200);
    }

    private boolean matches(PluginDescriptor plugin, String name) {
        return plugins.connector(name).map(p -> p.className().equals(plugin.className())).orElse(false);
    }
}
