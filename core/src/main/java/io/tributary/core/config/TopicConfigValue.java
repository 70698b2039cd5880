package io.tributary.core.config;

/**
 * One topic config as DescribeConfigs reports it: its effective value and where that came from.
 *
 * @param value         the effective value in config form (lists comma-separated)
 * @param type          the ConfigDef.Type name, which matches Kafka's DescribeConfigs ConfigType names
 */
public record TopicConfigValue(String name, String value, Source source, boolean isSensitive, boolean readOnly,
                               String documentation, String type) {

    /** Where an effective value comes from; maps onto Kafka's ConfigSource. */
    public enum Source {
        /** Set on the topic (Kafka: DYNAMIC_TOPIC_CONFIG). */
        TOPIC_OVERRIDE,
        /** The broker-level key was set explicitly (Kafka: STATIC_BROKER_CONFIG). */
        BROKER_DEFAULT,
        /** Nobody set it: the built-in default (Kafka: DEFAULT_CONFIG). */
        DEFAULT
    }
}
