package io.tributary.core.config;

import static io.tributary.core.config.ConfigDef.Importance.HIGH;
import static io.tributary.core.config.ConfigDef.Importance.LOW;
import static io.tributary.core.config.ConfigDef.Importance.MEDIUM;
import static io.tributary.core.config.ConfigDef.Type.INT;
import static io.tributary.core.config.ConfigDef.Type.LIST;
import static io.tributary.core.config.ConfigDef.Type.LONG;
import static io.tributary.core.config.Validator.atLeast;

import java.util.List;

/** Settings of the HTTP gateway. They live beside the broker's keys so one file and one parser cover both. */
public final class HttpConfigDef {

    public static final String HTTP_LISTENERS = "http.listeners";
    public static final String HTTP_MAX_REQUEST_BYTES = "http.max.request.bytes";
    public static final String HTTP_CONSUMER_INSTANCE_TIMEOUT_MS = "http.consumer.instance.timeout.ms";
    public static final String HTTP_CONSUMER_REQUEST_TIMEOUT_MS = "http.consumer.request.timeout.ms";
    public static final String HTTP_CONSUMER_REQUEST_MAX_BYTES = "http.consumer.request.max.bytes";
    public static final String HTTP_STREAM_HEARTBEAT_MS = "http.stream.heartbeat.ms";
    public static final String HTTP_CORS_ALLOWED_ORIGINS = "http.cors.allowed.origins";
    public static final String HTTP_MAX_CONNECTIONS_PER_IP = "http.max.connections.per.ip";
    public static final String HTTP_CONNECTIONS_MAX_IDLE_MS = "http.connections.max.idle.ms";
    public static final String HTTP_REQUEST_HEADER_TIMEOUT_MS = "http.request.header.timeout.ms";

    private HttpConfigDef() {
    }

    static ConfigDef addTo(ConfigDef def) {
        return def
                .define(HTTP_LISTENERS, LIST, List.of("HTTP://127.0.0.1:8080"), null, HIGH,
                        "Comma-separated NAME://host:port the HTTP gateway listens on; empty disables HTTP."
                                + " Port 0 picks a free port.")
                .define(HTTP_MAX_REQUEST_BYTES, INT, 10 * 1024 * 1024, atLeast(1), MEDIUM,
                        "Largest request body the HTTP gateway accepts; a larger one is answered 413.")
                .define(HTTP_CONSUMER_INSTANCE_TIMEOUT_MS, LONG, 300_000L, atLeast(1), MEDIUM,
                        "An HTTP consumer instance that receives no request for this long is closed and leaves"
                                + " its group.")
                .define(HTTP_CONSUMER_REQUEST_TIMEOUT_MS, LONG, 1_000L, atLeast(0), LOW,
                        "How long GET .../records waits for records when the request gives no timeout.")
                .define(HTTP_CONSUMER_REQUEST_MAX_BYTES, LONG, 64L * 1024 * 1024, atLeast(1), LOW,
                        "Most key and value bytes one GET .../records returns, whatever max_bytes asks for.")
                .define(HTTP_STREAM_HEARTBEAT_MS, LONG, 15_000L, atLeast(1), LOW,
                        "Interval of the comment lines an idle Server-Sent Events stream sends so proxies keep"
                                + " it open.")
                .define(HTTP_CORS_ALLOWED_ORIGINS, LIST, List.of(), null, MEDIUM,
                        "Comma-separated origins (https://host:port) whose browser pages may call the HTTP gateway;"
                                + " * allows any; empty sends no CORS headers.")
                .define(HTTP_MAX_CONNECTIONS_PER_IP, INT, Integer.MAX_VALUE, atLeast(0), MEDIUM,
                        "Connections one client address may hold open at once on each HTTP listener; more are"
                                + " closed at once.")
                .define(HTTP_CONNECTIONS_MAX_IDLE_MS, LONG, 600_000L, atLeast(-1), MEDIUM,
                        "An HTTP connection (including a WebSocket or an event stream) that neither sends nor"
                                + " receives anything for this long is closed; -1 never.")
                .define(HTTP_REQUEST_HEADER_TIMEOUT_MS, LONG, 30_000L, atLeast(-1), MEDIUM,
                        "A connection must deliver the complete headers of its next request within this long of"
                                + " opening or of its previous response ending; otherwise (slow-loris, idle"
                                + " keep-alive) it is closed. -1 never.");
    }
}
