package io.tributary.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /openapi.json}: the OpenAPI 3.1 description of every route, kept beside this class. */
final class OpenApiRoute {

    static final String RESOURCE = "openapi.json";

    private final Buffer document;

    OpenApiRoute(Buffer document) {
        this.document = document;
    }

    /** Reads the document from the classpath; blocking, so call it off the event loop. */
    static Buffer load() {
        try (InputStream in = OpenApiRoute.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void mount(Router router) {
        router.get("/openapi.json").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json").end(document));
    }
}
