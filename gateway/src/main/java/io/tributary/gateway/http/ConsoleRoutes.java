package io.tributary.gateway.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web console: static pages and scripts from the jar ({@value #ASSETS}) under {@code /console/}, built on the
 * {@code /admin} views and the produce and stream endpoints. {@code /} and {@code /console} redirect there.
 */
final class ConsoleRoutes {

    static final String ASSETS = "io/tributary/gateway/console";

    void mount(Router router) {
        router.get("/").handler(ConsoleRoutes::toConsole);
        router.get("/console").handler(ConsoleRoutes::toConsole);
        // No method on the route: the static handler serves GET and HEAD and passes anything else on (405).
        router.route("/console/*").handler(StaticHandler.create(ASSETS)
                .setCachingEnabled(false)
                .setDirectoryListing(false)
                .setIndexPage("index.html"));
    }

    private static void toConsole(RoutingContext ctx) {
        if (ctx.request().path().endsWith("/console/")) {
            ctx.next(); // the router matches "/console" with a trailing slash too: that is the page itself
            return;
        }
        ctx.response().setStatusCode(302).putHeader("Location", "/console/").end();
    }
}
