package io.tributary.connect.file;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

import java.util.List;
import java.util.Map;

/**
 * Follows a text file and publishes each complete line as a record. The byte position after each line is its
 * source offset, so a restarted connector continues exactly after the last line the broker acknowledged.
 */
public final class FileSourceConnector extends SourceConnector {

    public static final String FILE = "file";
    public static final String TOPIC = "topic";
    public static final String BATCH_SIZE = "batch.size";
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";

    static final ConfigDef CONFIG = new ConfigDef()
            .define(FILE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Path of the file to follow.")
            .define(TOPIC, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Topic the lines are published to.")
            .define(BATCH_SIZE, Type.INT, 2000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Most lines returned by one poll.")
            .define(POLL_INTERVAL_MS, Type.LONG, 200L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "How long a poll waits for new lines at the end of the file.");

    private Map<String, String> config;

    @Override
    public void start(Map<String, String> props) {
        CONFIG.parse(props);
        this.config = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return FileSourceTask.class;
    }

    /** One task: a file has one reader. */
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
