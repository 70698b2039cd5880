package io.tributary.connect.runtime;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

import java.util.List;
import java.util.Map;

/** The settings every connector has, whatever its class, with Kafka Connect's names, groups and defaults. */
public final class ConnectorConfig {

    public static final String NAME = "name";
    public static final String CONNECTOR_CLASS = "connector.class";
    public static final String TASKS_MAX = "tasks.max";
    public static final String KEY_CONVERTER = "key.converter";
    public static final String VALUE_CONVERTER = "value.converter";
    public static final String HEADER_CONVERTER = "header.converter";
    public static final String TRANSFORMS = "transforms";
    public static final String PREDICATES = "predicates";
    public static final String TOPICS = "topics";
    public static final String TOPICS_REGEX = "topics.regex";
    public static final String ERRORS_TOLERANCE = "errors.tolerance";
    public static final String ERRORS_LOG_ENABLE = "errors.log.enable";
    public static final String DLQ_TOPIC = "errors.deadletterqueue.topic.name";
    public static final String DLQ_CONTEXT_HEADERS = "errors.deadletterqueue.context.headers.enable";

    private static final String COMMON = "Common";
    private static final String TRANSFORMS_GROUP = "Transforms";
    private static final String ERRORS = "Error Handling";

    private ConnectorConfig() {
    }

    /** The common settings; sink connectors add topics and the dead letter queue. */
    public static ConfigDef definition(boolean sink) {
        ConfigDef def = new ConfigDef()
                .define(NAME, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "Unique name of the connector.", COMMON, 1, Width.MEDIUM, "Connector name")
                .define(CONNECTOR_CLASS, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                        "Class, simple class name or alias of the connector.", COMMON, 2, Width.LONG, "Connector class")
                .define(TASKS_MAX, Type.INT, 1, ConfigDef.Range.atLeast(1), Importance.HIGH,
                        "Most tasks the connector may run.", COMMON, 3, Width.SHORT, "Tasks max")
                .define(KEY_CONVERTER, Type.STRING, null, Importance.LOW,
                        "Converter of record keys; default connect.key.converter.", COMMON, 4, Width.SHORT, "Key converter")
                .define(VALUE_CONVERTER, Type.STRING, null, Importance.LOW,
                        "Converter of record values; default connect.value.converter.", COMMON, 5, Width.SHORT, "Value converter")
                .define(HEADER_CONVERTER, Type.STRING, null, Importance.LOW,
                        "Converter of record headers; default SimpleHeaderConverter.", COMMON, 6, Width.SHORT, "Header converter")
                .define(TRANSFORMS, Type.LIST, "", Importance.LOW,
                        "Aliases of the transformations applied to records, in order.", TRANSFORMS_GROUP, 1, Width.LONG, "Transforms")
                .define(PREDICATES, Type.LIST, "", Importance.LOW,
                        "Aliases of the predicates transformations may be conditioned on.", TRANSFORMS_GROUP, 2, Width.LONG, "Predicates")
                .define(ERRORS_TOLERANCE, Type.STRING, "none", ConfigDef.ValidString.in("none", "all"), Importance.MEDIUM,
                        "none: a conversion or transformation error fails the task; all: the record is skipped"
                                + " (and sent to the dead letter topic of a sink).", ERRORS, 1, Width.SHORT, "Error tolerance")
                .define(ERRORS_LOG_ENABLE, Type.BOOLEAN, false, Importance.MEDIUM,
                        "Log every tolerated error.", ERRORS, 2, Width.SHORT, "Log errors");
        if (sink) {
            def.define(TOPICS, Type.LIST, "", Importance.HIGH,
                            "Topics the connector reads.", COMMON, 7, Width.LONG, "Topics")
                    .define(TOPICS_REGEX, Type.STRING, "", Importance.HIGH,
                            "Regular expression of the topics the connector reads (instead of topics); topics created later are picked up within seconds.", COMMON, 8, Width.LONG, "Topics regex")
                    .define(DLQ_TOPIC, Type.STRING, "", Importance.MEDIUM,
                            "Topic that records failing conversion or transformation go to, unchanged, when"
                                    + " errors.tolerance=all.", ERRORS, 3, Width.MEDIUM, "Dead letter topic")
                    .define(DLQ_CONTEXT_HEADERS, Type.BOOLEAN, false, Importance.MEDIUM,
                            "Add __connect.errors.* headers describing the failure to dead-lettered records.",
                            ERRORS, 4, Width.SHORT, "Dead letter context headers");
        }
        return def;
    }

    public static int tasksMax(Map<String, String> config) {
        return Integer.parseInt(config.getOrDefault(TASKS_MAX, "1").trim());
    }

    public static List<String> list(Map<String, String> config, String key) {
        String raw = config.getOrDefault(key, "").trim();
        return raw.isEmpty() ? List.of() : List.of(raw.split("\\s*,\\s*"));
    }

    public static boolean tolerateAll(Map<String, String> config) {
        return "all".equals(config.getOrDefault(ERRORS_TOLERANCE, "none").trim());
    }
}
