package io.tributary.connect.runtime;

import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.ConnectConfigDef;
import io.tributary.core.config.Listener;

import java.nio.file.Path;
import java.util.List;

/** The connect.* settings of the broker config, typed. */
public record ConnectSettings(List<Listener> listeners, List<Path> pluginPath, String configFile,
                              String keyConverter, String valueConverter, long offsetFlushIntervalMs,
                              long restartBackoffMs, long restartBackoffMaxMs) {

    @SuppressWarnings("unchecked")
    public static ConnectSettings from(BrokerConfig config) {
        List<String> path = (List<String>) config.value(ConnectConfigDef.CONNECT_PLUGIN_PATH);
        return new ConnectSettings(config.connectListeners(), path.stream().map(Path::of).toList(),
                (String) config.value(ConnectConfigDef.CONNECT_CONFIG_FILE),
                (String) config.value(ConnectConfigDef.CONNECT_KEY_CONVERTER),
                (String) config.value(ConnectConfigDef.CONNECT_VALUE_CONVERTER),
                (Long) config.value(ConnectConfigDef.CONNECT_OFFSET_FLUSH_INTERVAL_MS),
                (Long) config.value(ConnectConfigDef.CONNECT_TASK_RESTART_BACKOFF_MS),
                (Long) config.value(ConnectConfigDef.CONNECT_TASK_RESTART_BACKOFF_MAX_MS));
    }
}
