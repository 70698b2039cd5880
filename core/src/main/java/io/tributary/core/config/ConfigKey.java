package io.tributary.core.config;

import java.util.Objects;

/**
 * One config definition: name, type, default, validator, importance and documentation.
 *
 * @param defaultValue the parsed default (Integer for INT, List&lt;String&gt; for LIST, ...), or null when
 *                     the key is optional or its default is derived from other keys (see the doc)
 * @param validator    null when every value of the type is allowed
 */
public record ConfigKey(String name, ConfigDef.Type type, Object defaultValue, Validator validator,
                        ConfigDef.Importance importance, String documentation) {

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(importance, "importance");
        Objects.requireNonNull(documentation, "documentation");
        // A default that its own validator refuses is a bug in the table, caught at class load.
        if (defaultValue != null && validator != null && !validator.accepts(defaultValue)) {
            throw new IllegalArgumentException("default of " + name + " is invalid: " + defaultValue);
        }
    }

    /** Parses and validates a raw value; a refusal names this key, the value and what is allowed. */
    public Object parse(String raw) {
        if (raw == null) {
            throw new ConfigException(name, null, "must be " + allowed());
        }
        Object value;
        try {
            value = type.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, raw, "must be " + allowed());
        }
        String problem = validator == null ? null : validator.problem(value, type);
        if (problem != null) {
            throw new ConfigException(name, raw, problem);
        }
        return value;
    }

    /** What this key accepts, e.g. "an integer >= 1". */
    public String allowed() {
        return validator == null ? type.phrase() : validator.describe(type);
    }

    /** The default in config-file form ("" for a list of none), or null when there is none. */
    public String defaultString() {
        return defaultValue == null ? null : ConfigDef.Type.format(defaultValue);
    }
}
