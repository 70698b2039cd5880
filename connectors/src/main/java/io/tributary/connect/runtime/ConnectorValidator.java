package io.tributary.connect.runtime;

import io.tributary.connect.plugins.PluginDescriptor;
import io.tributary.connect.plugins.Plugins;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a connector config as Kafka Connect's validate endpoint does: the common settings, the converter,
 * transformation and predicate classes, and the connector's own validate(). The result is the ConfigInfos
 * JSON shape (name, error_count, groups, configs), every error under the setting it is about.
 */
public final class ConnectorValidator {

    private final Plugins plugins;

    public ConnectorValidator(Plugins plugins) {
        this.plugins = plugins;
    }

    /** The outcome: the ConfigInfos document and a flat "setting: error" list. */
    public record Result(Map<String, Object> configInfos, List<String> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    public Result validate(Map<String, String> config) {
        String className = config.getOrDefault(ConnectorConfig.CONNECTOR_CLASS, "").trim();
        PluginDescriptor plugin = className.isEmpty() ? null : plugins.connector(className).orElse(null);
        boolean sink = plugin != null && SinkConnector.class.isAssignableFrom(plugin.pluginClass());
        ConfigDef common = ConnectorConfig.definition(sink);
        Map<String, ConfigValue> values = new LinkedHashMap<>(common.validateAll(config));
        List<ConfigDef.ConfigKey> keys = new ArrayList<>(common.configKeys().values());
        if (plugin == null) {
            error(values, ConnectorConfig.CONNECTOR_CLASS, className.isEmpty()
                    ? "Missing required configuration \"connector.class\" which has no default value."
                    : "Failed to find any class that implements Connector and which name matches " + className);
        } else {
            checkClass(values, config, ConnectorConfig.KEY_CONVERTER, Converter.class, plugin);
            checkClass(values, config, ConnectorConfig.VALUE_CONVERTER, Converter.class, plugin);
            checkClass(values, config, ConnectorConfig.HEADER_CONVERTER, HeaderConverter.class, plugin);
            checkAliases(values, config, ConnectorConfig.TRANSFORMS, "transforms.", Transformation.class, plugin);
            checkAliases(values, config, ConnectorConfig.PREDICATES, "predicates.", Predicate.class, plugin);
            if (sink) {
                checkTopics(values, config);
            }
            validateConnector(plugin, config, values, keys);
        }
        return result(plugin == null ? className : plugin.className(), keys, values);
    }

    private void validateConnector(PluginDescriptor plugin, Map<String, String> config, Map<String, ConfigValue> values,
                                   List<ConfigDef.ConfigKey> keys) {
        try {
            Connector connector = plugins.newInstance(plugin.className(), Connector.class, plugin.loader());
            Config own = Plugins.withLoader(plugin.loader(), () -> connector.validate(config));
            ConfigDef def = Plugins.withLoader(plugin.loader(), connector::config);
            if (def != null) {
                keys.addAll(def.configKeys().values());
            }
            for (ConfigValue value : own.configValues()) {
                ConfigValue existing = values.get(value.name());
                if (existing == null) {
                    values.put(value.name(), value);
                } else {
                    value.errorMessages().forEach(existing::addErrorMessage);
                }
            }
        } catch (Exception | LinkageError e) {
            error(values, ConnectorConfig.CONNECTOR_CLASS, "The connector's validation failed: " + e);
        }
    }

    private void checkClass(Map<String, ConfigValue> values, Map<String, String> config, String key, Class<?> type,
                            PluginDescriptor plugin) {
        String className = config.get(key);
        if (className == null || className.isBlank()) {
            return;
        }
        try {
            plugins.newInstance(className.trim(), type, plugin.loader());
        } catch (IllegalArgumentException e) {
            error(values, key, e.getMessage());
        }
    }

    private void checkAliases(Map<String, ConfigValue> values, Map<String, String> config, String listKey, String prefix,
                              Class<?> type, PluginDescriptor plugin) {
        for (String alias : ConnectorConfig.list(config, listKey)) {
            String typeKey = prefix + alias + ".type";
            String className = config.get(typeKey);
            if (className == null || className.isBlank()) {
                error(values, typeKey, "Missing required configuration \"" + typeKey + "\" which has no default value.");
                continue;
            }
            try {
                Object instance = plugins.newInstance(className.trim(), type, plugin.loader());
                ConfigDef def = instance instanceof Transformation<?> t ? t.config()
                        : instance instanceof Predicate<?> p ? p.config() : null;
                if (def != null) {
                    def.validateAll(RecordConverters.prefixed(config, prefix + alias + ".")).forEach((name, value) ->
                            value.errorMessages().forEach(m -> error(values, prefix + alias + "." + name, m)));
                }
            } catch (IllegalArgumentException e) {
                error(values, typeKey, e.getMessage());
            }
        }
    }

    private static void checkTopics(Map<String, ConfigValue> values, Map<String, String> config) {
        boolean hasTopics = !ConnectorConfig.list(config, ConnectorConfig.TOPICS).isEmpty();
        String regex = config.getOrDefault(ConnectorConfig.TOPICS_REGEX, "").trim();
        if (hasTopics && !regex.isEmpty()) {
            error(values, ConnectorConfig.TOPICS, "topics and topics.regex are mutually exclusive");
        } else if (!hasTopics && regex.isEmpty()) {
            error(values, ConnectorConfig.TOPICS, "Must configure one of topics or topics.regex");
        } else if (!regex.isEmpty()) {
            try {
                java.util.regex.Pattern.compile(regex);
            } catch (java.util.regex.PatternSyntaxException e) {
                error(values, ConnectorConfig.TOPICS_REGEX, "'" + regex + "' is not a valid regular expression: " + e.getDescription());
            }
        }
        String dlq = config.getOrDefault(ConnectorConfig.DLQ_TOPIC, "").trim();
        if (!dlq.isEmpty() && ConnectorConfig.list(config, ConnectorConfig.TOPICS).contains(dlq)) {
            error(values, ConnectorConfig.DLQ_TOPIC, "The dead letter queue topic '" + dlq + "' may not be one of the topics the connector reads");
        }
    }

    private static void error(Map<String, ConfigValue> values, String key, String message) {
        values.computeIfAbsent(key, ConfigValue::new).addErrorMessage(message);
    }

    private static Result result(String name, List<ConfigDef.ConfigKey> keys, Map<String, ConfigValue> values) {
        Map<String, ConfigDef.ConfigKey> byName = new LinkedHashMap<>();
        keys.forEach(k -> byName.putIfAbsent(k.name, k));
        Set<String> groups = new LinkedHashSet<>();
        List<Map<String, Object>> configs = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (ConfigValue value : values.values()) {
            ConfigDef.ConfigKey key = byName.get(value.name());
            if (key != null && key.group != null) {
                groups.add(key.group);
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("definition", key == null ? null : definition(key));
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", value.name());
            v.put("value", value.value() == null ? null : String.valueOf(value.value() instanceof ConfigDef.Type ? value.value() : value.value()));
            v.put("recommended_values", value.recommendedValues().stream().map(String::valueOf).toList());
            v.put("errors", value.errorMessages());
            v.put("visible", value.visible());
            entry.put("value", v);
            configs.add(entry);
            value.errorMessages().forEach(m -> errors.add(value.name() + ": " + m));
        }
        Map<String, Object> infos = new LinkedHashMap<>();
        infos.put("name", name);
        infos.put("error_count", errors.size());
        infos.put("groups", new ArrayList<>(groups));
        infos.put("configs", configs);
        return new Result(infos, errors);
    }

    /** A ConfigKey in the REST API's ConfigKeyInfo shape. */
    public static Map<String, Object> definition(ConfigDef.ConfigKey key) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", key.name);
        d.put("type", key.type.name());
        d.put("required", !key.hasDefault());
        d.put("default_value", key.hasDefault() && key.defaultValue != null ? ConfigDef.convertToString(key.defaultValue, key.type) : null);
        d.put("importance", key.importance == null ? null : key.importance.name());
        d.put("documentation", key.documentation);
        d.put("group", key.group);
        d.put("width", key.width == null ? null : key.width.name());
        d.put("display_name", key.displayName);
        d.put("dependents", key.dependents);
        d.put("order", key.orderInGroup);
        return d;
    }
}
