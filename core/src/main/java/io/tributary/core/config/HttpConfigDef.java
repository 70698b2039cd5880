package io.tributary.core.config;

import static io.tributary.core.config.ConfigDef.Importance.HIGH;
import static io.tributary.core.config.ConfigDef.Type.LIST;

import java.util.List;

/** Settings of the HTTP gateway. They live beside the broker's keys so one file and one parser cover both. */
public final class HttpConfigDef {

    public static final String HTTP_LISTENERS = "http.listeners";

    private HttpConfigDef() {
    }

    static ConfigDef addTo(ConfigDef def) {
        return def
                .define(HTTP_LISTENERS, LIST, List.of("HTTP://127.0.0.1:8080"), null, HIGH,
                        "Comma-separated NAME://host:port the HTTP gateway listens on; empty disables HTTP."
                                + " Port 0 picks a free port.");
    }
}
