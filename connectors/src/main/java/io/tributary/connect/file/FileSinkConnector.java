package io.tributary.connect.file;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

import java.util.List;
import java.util.Map;

/**
 * Appends each record's value as one line to a file. Positions are committed only after the file has been
 * flushed and synced, so a restart continues after the last line written.
 */
public final class FileSinkConnector extends SinkConnector {

    public static final String FILE = "file";

    static final ConfigDef CONFIG = new ConfigDef()
            .define(FILE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Path of the file the lines are appended to.");

    private Map<String, String> config;

    @Override
    public void start(Map<String, String> props) {
        CONFIG.parse(props);
        this.config = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return FileSinkTask.class;
    }

    /** One task: one writer per file keeps the lines in order. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(config);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public String version() {
        return Version.VERSION;
    }
}
