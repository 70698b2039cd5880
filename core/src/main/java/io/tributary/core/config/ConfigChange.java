package io.tributary.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One change of IncrementalAlterConfigs, and how a list of them turns a topic's overrides into new
 * ones (Kafka's semantics: APPEND and SUBTRACT only for list configs, starting from the value in force).
 */
public record ConfigChange(String name, Op op, String value) {

    /** The operations, in the order of their wire ids. */
    public enum Op { SET, DELETE, APPEND, SUBTRACT }

    /** The topic's overrides after {@code changes}; throws ConfigException for a change that cannot apply. */
    public static Map<String, String> applyToTopic(Map<String, String> overrides, List<ConfigChange> changes,
                                                   BrokerConfig broker) {
        Map<String, String> result = new LinkedHashMap<>(overrides);
        Map<String, TopicConfigValue> inForce = TopicConfigs.describe(overrides, broker);
        for (ConfigChange change : changes) {
            ConfigKey key = TopicConfigs.DEFINITION.key(change.name());
            switch (change.op()) {
                case SET -> {
                    if (change.value() == null) {
                        throw new ConfigException(change.name(), null, "a value is needed to set " + change.name());
                    }
                    result.put(change.name(), change.value());
                }
                case DELETE -> result.remove(change.name());
                case APPEND, SUBTRACT -> {
                    if (key.type() != ConfigDef.Type.LIST) {
                        throw new ConfigException(change.name(), change.value(), "Config value "
                                + change.op().name().toLowerCase(java.util.Locale.ROOT)
                                + " is not allowed for config key: " + change.name());
                    }
                    String current = result.containsKey(change.name()) ? result.get(change.name())
                            : inForce.get(change.name()).value();
                    List<String> values = new ArrayList<>(split(current));
                    for (String v : split(change.value())) {
                        if (change.op() == Op.APPEND && !values.contains(v)) {
                            values.add(v);
                        } else if (change.op() == Op.SUBTRACT) {
                            values.remove(v);
                        }
                    }
                    result.put(change.name(), String.join(",", values));
                }
            }
        }
        return result;
    }

    private static List<String> split(String list) {
        List<String> out = new ArrayList<>();
        if (list != null) {
            for (String s : list.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }
}
