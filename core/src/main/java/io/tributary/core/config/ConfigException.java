package io.tributary.core.config;

/**
 * A configuration value or key that cannot be accepted. The message is meant for the operator as is:
 * it names the key, the offending value and what would have been allowed.
 */
public class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String value;

    /** "Invalid value 'abc' for 'num.partitions': must be an integer >= 1". */
    public ConfigException(String key, String value, String reason) {
        this("Invalid value '" + value + "' for '" + key + "': " + reason, key, value, null);
    }

    /** A message that concerns no single key (unreadable file, malformed argument). */
    public ConfigException(String message) {
        this(message, null, null, null);
    }

    public ConfigException(String message, Throwable cause) {
        this(message, null, null, cause);
    }

    private ConfigException(String message, String key, String value, Throwable cause) {
        super(message, cause);
        this.key = key;
        this.value = value;
    }

    /** Refuses an unknown key, suggesting the closest known one when there is a plausible one. */
    public static ConfigException unknownKey(String key, Iterable<String> knownKeys) {
        String hint = KeySuggester.closest(key, knownKeys).map(k -> "; did you mean '" + k + "'?").orElse("");
        return new ConfigException("Unknown config '" + key + "'" + hint, key, null, null);
    }

    /** The key the problem is about, or null. */
    public String key() {
        return key;
    }

    /** The rejected value as given, or null. */
    public String value() {
        return value;
    }
}
