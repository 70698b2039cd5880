package io.tributary.core.config;

import static io.tributary.core.config.ConfigDef.Importance.HIGH;
import static io.tributary.core.config.ConfigDef.Importance.LOW;
import static io.tributary.core.config.ConfigDef.Importance.MEDIUM;
import static io.tributary.core.config.ConfigDef.Type.LIST;
import static io.tributary.core.config.ConfigDef.Type.LONG;
import static io.tributary.core.config.ConfigDef.Type.STRING;
import static io.tributary.core.config.Validator.atLeast;

import java.util.List;

/** Settings of the embedded connector runtime. They live beside the broker's keys so one file and one parser cover both. */
public final class ConnectConfigDef {

    public static final String CONNECT_LISTENERS = "connect.listeners";
    public static final String CONNECT_PLUGIN_PATH = "connect.plugin.path";
    public static final String CONNECT_CONFIG_FILE = "connect.config.file";
    public static final String CONNECT_KEY_CONVERTER = "connect.key.converter";
    public static final String CONNECT_VALUE_CONVERTER = "connect.value.converter";
    public static final String CONNECT_OFFSET_FLUSH_INTERVAL_MS = "connect.offset.flush.interval.ms";
    public static final String CONNECT_TASK_RESTART_BACKOFF_MS = "connect.task.restart.backoff.ms";
    public static final String CONNECT_TASK_RESTART_BACKOFF_MAX_MS = "connect.task.restart.backoff.max.ms";

    private ConnectConfigDef() {
    }

    static ConfigDef addTo(ConfigDef def) {
        return def
                .define(CONNECT_LISTENERS, LIST, List.of("HTTP://127.0.0.1:8083"), null, HIGH,
                        "Comma-separated NAME://host:port the Kafka Connect REST API listens on; empty disables"
                                + " the connector runtime. Port 0 picks a free port.")
                .define(CONNECT_PLUGIN_PATH, LIST, List.of(), null, HIGH,
                        "Comma-separated directories of connector plugins. Each subdirectory (its jars together)"
                                + " or jar directly inside is one plugin with its own class loader.")
                .define(CONNECT_CONFIG_FILE, STRING, "", null, MEDIUM,
                        "A JSON or .properties file of connectors created (or updated) at start-up; empty for none.")
                .define(CONNECT_KEY_CONVERTER, STRING, "org.apache.kafka.connect.json.JsonConverter", null, MEDIUM,
                        "Converter class for record keys of connectors that do not set key.converter.")
                .define(CONNECT_VALUE_CONVERTER, STRING, "org.apache.kafka.connect.json.JsonConverter", null, MEDIUM,
                        "Converter class for record values of connectors that do not set value.converter.")
                .define(CONNECT_OFFSET_FLUSH_INTERVAL_MS, LONG, 10_000L, atLeast(1), LOW,
                        "How often sink tasks commit their positions to their consumer group connect-{name}.")
                .define(CONNECT_TASK_RESTART_BACKOFF_MS, LONG, 1_000L, atLeast(1), LOW,
                        "Wait before restarting a failed task; doubles with each consecutive failure.")
                .define(CONNECT_TASK_RESTART_BACKOFF_MAX_MS, LONG, 60_000L, atLeast(1), LOW,
                        "Longest wait between restarts of a task that keeps failing.");
    }
}
