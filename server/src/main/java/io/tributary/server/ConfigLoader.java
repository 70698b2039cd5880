package io.tributary.server;

import io.tributary.core.config.BrokerConfigDef;
import io.tributary.core.config.ConfigException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Merges the broker's properties from their sources, later ones winning: properties file, then
 * {@code TRIBUTARY_*} environment variables, then {@code --override key=value}. Built-in defaults are
 * not filled in here: BrokerConfig applies them, so it still knows which keys were set explicitly.
 * Reads nothing but its arguments (and the file), so it is testable without starting anything.
 */
public final class ConfigLoader {

    public static final String ENV_PREFIX = "TRIBUTARY_";
    /** bin/tributary's own settings: they reach the JVM's environment too, and are not config keys. */
    static final Set<String> LAUNCHER_ENV = Set.of("TRIBUTARY_JAR", "TRIBUTARY_CDS_ARCHIVE", "TRIBUTARY_JAVA_OPTS");

    private ConfigLoader() {
    }

    /** The merged explicit properties. Unknown keys and bad values are left to BrokerConfig.parse. */
    public static Map<String, String> load(Optional<Path> file, Map<String, String> env, List<String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>();
        file.ifPresent(f -> merged.putAll(readFile(f)));
        merged.putAll(fromEnv(env));
        merged.putAll(parseOverrides(overrides));
        return merged;
    }

    /** Reads a properties file as UTF-8. */
    public static Map<String, String> readFile(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException("Cannot read config file '" + file + "': no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("Cannot read config file '" + file + "': " + e.getMessage(), e);
        }
        // Sorted, so that the merged map (and any message about it) does not depend on hashing.
        Map<String, String> values = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
        return values;
    }

    /**
     * The config keys named by {@code TRIBUTARY_<KEY upper-cased, dots as underscores>} variables.
     * Variables that name no known key are ignored (see {@link #unmatchedEnv}): the prefix is also
     * what Kubernetes uses for the service links of a service called "tributary" (TRIBUTARY_PORT...).
     */
    public static Map<String, String> fromEnv(Map<String, String> env) {
        Map<String, String> byEnvName = envNames();
        Map<String, String> values = new TreeMap<>();
        env.forEach((name, value) -> {
            String key = byEnvName.get(name);
            if (key != null) {
                values.put(key, value);
            }
        });
        return values;
    }

    /** TRIBUTARY_ variables that name neither a config key nor a launcher setting: the caller warns of typos. */
    public static List<String> unmatchedEnv(Map<String, String> env) {
        Set<String> known = envNames().keySet();
        return env.keySet().stream()
                .filter(n -> n.startsWith(ENV_PREFIX) && !known.contains(n) && !LAUNCHER_ENV.contains(n))
                .sorted().toList();
    }

    /** The environment variable name of a config key: log.dirs -> TRIBUTARY_LOG_DIRS. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** Parses {@code key=value} arguments; the value may be empty or contain '='. */
    public static Map<String, String> parseOverrides(List<String> overrides) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq < 0 || override.substring(0, eq).isBlank()) {
                throw new ConfigException("Invalid --override '" + override + "': expected key=value");
            }
            values.put(override.substring(0, eq).trim(), override.substring(eq + 1));
        }
        return values;
    }

    // Matching known keys (rather than blindly turning underscores into dots) keeps this right even
    // for a key that contains an underscore.
    private static Map<String, String> envNames() {
        Map<String, String> byEnvName = new LinkedHashMap<>();
        BrokerConfigDef.DEFINITION.names().forEach(key -> byEnvName.put(envName(key), key));
        return byEnvName;
    }
}
