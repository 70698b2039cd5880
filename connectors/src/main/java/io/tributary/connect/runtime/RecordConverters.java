package io.tributary.connect.runtime;

import io.tributary.connect.plugins.Plugins;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;

import java.util.HashMap;
import java.util.Map;

/**
 * The key, value and header converters of one task, configured as Kafka Connect does: the class from the
 * connector's key.converter (else the worker default) and its settings from the "key.converter." prefix.
 */
public record RecordConverters(Converter key, Converter value, HeaderConverter header) {

    public static RecordConverters create(Plugins plugins, Map<String, String> config, ConnectSettings settings,
                                          ClassLoader connectorLoader) {
        Converter key = plugins.newInstance(classOf(config, ConnectorConfig.KEY_CONVERTER, settings.keyConverter()),
                Converter.class, connectorLoader);
        key.configure(prefixed(config, ConnectorConfig.KEY_CONVERTER + "."), true);
        Converter value = plugins.newInstance(classOf(config, ConnectorConfig.VALUE_CONVERTER, settings.valueConverter()),
                Converter.class, connectorLoader);
        value.configure(prefixed(config, ConnectorConfig.VALUE_CONVERTER + "."), false);
        HeaderConverter header = plugins.newInstance(classOf(config, ConnectorConfig.HEADER_CONVERTER,
                SimpleHeaderConverter.class.getName()), HeaderConverter.class, connectorLoader);
        header.configure(prefixed(config, ConnectorConfig.HEADER_CONVERTER + "."));
        return new RecordConverters(key, value, header);
    }

    private static String classOf(Map<String, String> config, String key, String fallback) {
        String configured = config.get(key);
        return configured == null || configured.isBlank() ? fallback : configured.trim();
    }

    /** The settings under {@code prefix}, with the prefix removed. */
    public static Map<String, String> prefixed(Map<String, String> config, String prefix) {
        Map<String, String> result = new HashMap<>();
        config.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                result.put(k.substring(prefix.length()), v);
            }
        });
        return result;
    }
}
