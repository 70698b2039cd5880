package io.tributary.gateway.http;

import io.tributary.core.testing.EmbeddedBroker;
import io.tributary.gateway.mqtt.MqttClients;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document and the router describe the same operations: none missing on either side. */
class HttpApiDocumentTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted(@TempDir Path dataDir) {
        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir)) {
            HttpSettings settings = HttpSettings.from(io.tributary.core.config.BrokerConfig.defaults());
            ConsumerRegistry registry = new ConsumerRegistry(broker.broker().vertx(), broker.broker().api(), 60_000);
            Router router = new HttpRouterFactory(broker.broker().api(), settings, registry, ws -> { }, MqttClients.NONE,
                    OpenApiRoute.load(), () -> true).create(broker.broker().vertx());

            Set<String> routed = new TreeSet<>();
            for (Route route : router.getRoutes()) {
                if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
                    continue; // catch-all handlers (bodies, failures), not operations
                }
                String path = route.getPath().replaceAll(":([A-Za-z_]+)", "{$1}");
                route.methods().forEach(m -> routed.add(m.name().toLowerCase(Locale.ROOT) + " " + path));
            }

            JsonObject paths = new JsonObject(OpenApiRoute.load()).getJsonObject("paths");
            Set<String> documented = new TreeSet<>();
            for (String path : paths.fieldNames()) {
                for (String key : paths.getJsonObject(path).fieldNames()) {
                    if (METHODS.contains(key)) {
                        documented.add(key + " " + path);
                        assertThat(paths.getJsonObject(path).getJsonObject(key).getJsonObject("responses"))
                                .as("%s %s has responses", key, path).isNotNull();
                    }
                }
            }
            assertThat(routed).isNotEmpty();
            assertThat(documented).isEqualTo(routed);
        }
    }
}
