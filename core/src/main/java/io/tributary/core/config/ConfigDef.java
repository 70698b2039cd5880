package io.tributary.core.config;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An ordered table of config definitions, Kafka style. It parses raw string properties into typed
 * values, refusing unknown keys and invalid values with messages an operator can act on.
 */
public final class ConfigDef {

    /** Value types; the names match Kafka's DescribeConfigs ConfigType names. */
    public enum Type {
        BOOLEAN("true or false"),
        STRING("a string"),
        INT("an integer"),
        SHORT("an integer"),
        LONG("an integer"),
        DOUBLE("a number"),
        LIST("a comma-separated list");

        private final String phrase;

        Type(String phrase) {
            this.phrase = phrase;
        }

        /** How a value of this type is described in error messages. */
        public String phrase() {
            return phrase;
        }

        /** Parses a raw value; IllegalArgumentException when it is not of this type. */
        Object parse(String raw) {
            String s = raw.trim();
            return switch (this) {
                case BOOLEAN -> {
                    if (s.equalsIgnoreCase("true")) yield Boolean.TRUE;
                    if (s.equalsIgnoreCase("false")) yield Boolean.FALSE;
                    throw new IllegalArgumentException(s);
                }
                case STRING -> s;
                case INT -> Integer.parseInt(s);
                case SHORT -> Short.parseShort(s);
                case LONG -> Long.parseLong(s);
                case DOUBLE -> Double.parseDouble(s);
                // Blank elements are dropped so that a trailing comma is harmless.
                case LIST -> s.isEmpty() ? List.of()
                        : Arrays.stream(s.split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList();
            };
        }

        /** The config-file form of a parsed value. */
        static String format(Object value) {
            if (value instanceof List<?> list) {
                return String.join(",", list.stream().map(String::valueOf).toList());
            }
            return String.valueOf(value);
        }
    }

    public enum Importance { HIGH, MEDIUM, LOW }

    private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

    public ConfigDef define(String name, Type type, Object defaultValue, Validator validator,
                            Importance importance, String documentation) {
        if (keys.containsKey(name)) {
            throw new IllegalArgumentException("config " + name + " is defined twice");
        }
        keys.put(name, new ConfigKey(name, type, defaultValue, validator, importance, documentation));
        return this;
    }

    public Optional<ConfigKey> find(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    /** The definition of a key; unknown keys are refused with a suggestion. */
    public ConfigKey key(String name) {
        ConfigKey key = keys.get(name);
        if (key == null && name.startsWith(SecurityConfigDef.LISTENER_PREFIX)) {
            key = listenerOverride(name);
        }
        if (key == null) {
            throw ConfigException.unknownKey(name, keys.keySet());
        }
        return key;
    }

    /**
     * The definition of a per-listener override {@code listener.name.<listener>.<key>}: the plain key's, under the
     * override's name; null when the rest does not name a defined key.
     */
    private ConfigKey listenerOverride(String name) {
        String rest = name.substring(SecurityConfigDef.LISTENER_PREFIX.length());
        int dot = rest.indexOf('.');
        ConfigKey base = dot <= 0 ? null : keys.get(rest.substring(dot + 1));
        if (base == null && dot > 0 && name.endsWith("." + SecurityConfigDef.SASL_JAAS_CONFIG)) {
            // Kafka's per-mechanism form: listener.name.<listener>.<mechanism>.sasl.jaas.config
            base = keys.get(SecurityConfigDef.SASL_JAAS_CONFIG);
        }
        return base == null ? null : new ConfigKey(name, base.type(), base.defaultValue(), base.validator(),
                base.importance(), base.documentation());
    }

    /** All definitions, in definition order. */
    public Collection<ConfigKey> keys() {
        return Collections.unmodifiableCollection(keys.values());
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(keys.keySet());
    }

    /**
     * Parses the given properties (explicit values only; defaults are not filled in), in input order.
     * Throws ConfigException on the first unknown key or invalid value.
     */
    public Map<String, Object> parse(Map<String, String> props) {
        Map<String, Object> parsed = new LinkedHashMap<>();
        props.forEach((name, raw) -> parsed.put(name, key(name).parse(raw)));
        return parsed;
    }

    /** Parsed explicit value, or the key's default. */
    Object valueOrDefault(Map<String, Object> parsed, String name) {
        return parsed.containsKey(name) ? parsed.get(name) : key(name).defaultValue();
    }
}
