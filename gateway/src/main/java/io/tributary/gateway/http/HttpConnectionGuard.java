package io.tributary.gateway.http;

import io.tributary.core.network.ConnectionLimits;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Guards one event loop's server of one HTTP listener: counts connections per client address
 * (http.max.connections.per.ip) and closes a connection that does not deliver the complete headers of its next
 * request within http.request.header.timeout.ms of opening or of its previous response ending. The idle timeout
 * alone cannot catch a slow-loris client, which keeps sending a header byte now and then.
 *
 * <p>The deadline is checked by one sweep per server rather than a timer per connection. A connection upgraded to a
 * WebSocket leaves the header deadline to the idle timeout. All state belongs to the verticle's event loop.
 */
final class HttpConnectionGuard {

    private final Vertx vertx;
    private final ConnectionLimits limits;
    private final long headerTimeoutMs;
    private final Map<HttpConnection, ConnectionState> connections = new IdentityHashMap<>();

    HttpConnectionGuard(Vertx vertx, ConnectionLimits limits, long headerTimeoutMs) {
        this.vertx = vertx;
        this.limits = limits;
        this.headerTimeoutMs = headerTimeoutMs;
    }

    /** Routes {@code server}'s requests to {@code requests} through this guard. */
    HttpServer install(HttpServer server, Handler<HttpServerRequest> requests) {
        if (headerTimeoutMs > 0) {
            long sweep = Math.max(50, Math.min(1000, headerTimeoutMs / 4));
            vertx.setPeriodic(sweep, id -> closeOverdue(System.nanoTime()));
        }
        return server.connectionHandler(this::opened).requestHandler(request -> {
            ConnectionState state = connections.get(request.connection());
            if (state == null) {
                // A connection refused over its address's limit: no answer, whatever it already sent.
                request.connection().close();
                return;
            }
            state.current = request;
            state.idleSinceNanos = 0;
            state.upgraded |= request.canUpgradeToWebSocket();
            requests.handle(request);
        });
    }

    private void opened(HttpConnection connection) {
        String ip = connection.remoteAddress() == null ? "" : connection.remoteAddress().hostAddress();
        if (!limits.tryOpen(ip)) {
            connection.close();
            return;
        }
        ConnectionState state = new ConnectionState();
        state.idleSinceNanos = System.nanoTime();
        connections.put(connection, state);
        connection.closeHandler(v -> {
            limits.closed(ip);
            connections.remove(connection);
        });
    }

    private void closeOverdue(long now) {
        List<HttpConnection> overdue = new ArrayList<>();
        for (Map.Entry<HttpConnection, ConnectionState> e : connections.entrySet()) {
            ConnectionState state = e.getValue();
            if (state.upgraded) {
                continue;
            }
            if (state.current != null) {
                if (!state.current.response().ended()) {
                    continue;
                }
                // First seen answered: the wait for the next request's headers starts (within one sweep).
                state.current = null;
                state.idleSinceNanos = now;
            }
            if (now - state.idleSinceNanos >= headerTimeoutMs * 1_000_000L) {
                overdue.add(e.getKey());
            }
        }
        overdue.forEach(HttpConnection::close);
    }

    /** What one connection is doing: the request being answered, or since when it has waited for the next. */
    private static final class ConnectionState {
        HttpServerRequest current;
        long idleSinceNanos;
        boolean upgraded;
    }
}
