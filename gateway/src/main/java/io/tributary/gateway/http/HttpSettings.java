package io.tributary.gateway.http;

import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.HttpConfigDef;
import io.tributary.core.config.Listener;

import java.util.List;

/** The HTTP gateway's configuration, read once from the broker's config (keys in {@link HttpConfigDef}). */
public record HttpSettings(List<Listener> listeners, int nodeId, int maxRequestBytes, long instanceTimeoutMs,
                           long consumerRequestTimeoutMs, long consumerRequestMaxBytes, long streamHeartbeatMs,
                           List<String> corsAllowedOrigins, int maxConnectionsPerIp, long idleTimeoutMs,
                           long requestHeaderTimeoutMs) {

    public static HttpSettings from(BrokerConfig config) {
        return new HttpSettings(config.httpListeners(), config.nodeId(),
                ((Number) config.value(HttpConfigDef.HTTP_MAX_REQUEST_BYTES)).intValue(),
                ((Number) config.value(HttpConfigDef.HTTP_CONSUMER_INSTANCE_TIMEOUT_MS)).longValue(),
                ((Number) config.value(HttpConfigDef.HTTP_CONSUMER_REQUEST_TIMEOUT_MS)).longValue(),
                ((Number) config.value(HttpConfigDef.HTTP_CONSUMER_REQUEST_MAX_BYTES)).longValue(),
                ((Number) config.value(HttpConfigDef.HTTP_STREAM_HEARTBEAT_MS)).longValue(),
                corsOrigins(config.value(HttpConfigDef.HTTP_CORS_ALLOWED_ORIGINS)),
                ((Number) config.value(HttpConfigDef.HTTP_MAX_CONNECTIONS_PER_IP)).intValue(),
                ((Number) config.value(HttpConfigDef.HTTP_CONNECTIONS_MAX_IDLE_MS)).longValue(),
                ((Number) config.value(HttpConfigDef.HTTP_REQUEST_HEADER_TIMEOUT_MS)).longValue());
    }

    private static List<String> corsOrigins(Object value) {
        List<String> origins = new java.util.ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(o -> {
                if (o != null && !o.toString().isBlank()) {
                    origins.add(o.toString().trim());
                }
            });
        }
        return List.copyOf(origins);
    }
}
