package io.tributary.core.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The broker's configs as DescribeConfigs reports them: every key with its effective value and
 * whether it was set (Kafka: STATIC_BROKER_CONFIG) or left to its default (DEFAULT_CONFIG). Broker
 * configs are static here, so each is read-only.
 */
public final class BrokerConfigs {

    private BrokerConfigs() {
    }

    public static Map<String, TopicConfigValue> describe(BrokerConfig config) {
        Map<String, TopicConfigValue> described = new LinkedHashMap<>();
        for (ConfigKey key : BrokerConfigDef.DEFINITION.keys()) {
            TopicConfigValue.Source source = config.isSet(key.name())
                    ? TopicConfigValue.Source.BROKER_DEFAULT : TopicConfigValue.Source.DEFAULT;
            described.put(key.name(), new TopicConfigValue(key.name(), effective(config, key), source, false, true,
                    key.documentation(), key.type().name()));
        }
        return described;
    }

    /** The value in force, including the derived ones of keys whose default depends on others. */
    private static String effective(BrokerConfig config, ConfigKey key) {
        switch (key.name()) {
            case BrokerConfigDef.NUM_NETWORK_THREADS:
                return String.valueOf(config.numNetworkThreads());
            case BrokerConfigDef.ADVERTISED_LISTENERS:
                return listeners(config.advertisedListeners());
            case BrokerConfigDef.LOG_DIRS:
                return config.logDirs().stream().map(Object::toString).collect(Collectors.joining(","));
            case BrokerConfigDef.LOG_RETENTION_MS:
                return String.valueOf(config.logRetentionMs());
            case BrokerConfigDef.LOG_ROLL_MS:
                return String.valueOf(config.logRollMs());
            default:
                Object value = config.value(key.name());
                return value == null ? null : ConfigDef.Type.format(value);
        }
    }

    private static String listeners(List<Listener> listeners) {
        return listeners.stream().map(Listener::uri).collect(Collectors.joining(","));
    }
}
