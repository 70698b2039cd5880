package io.tributary.connect.plugins;

import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Every connector, converter, transformation and predicate the runtime can instantiate: those on the class
 * path (the built-ins, Kafka's converters and transforms) and those of the plugin directories, each plugin
 * behind its own {@link PluginClassLoader}. Plugins are found through their META-INF/services manifests.
 */
public final class Plugins {

    private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);
    private static final Map<Class<?>, String> KINDS = kinds();
    private static final int MAX_BROKEN_ENTRIES = 100;

    /** Kafka Connect classes that live in connect-runtime, which is not here, and their stand-ins. */
    private static final Map<String, String> REPLACEMENTS = Map.of(
            "org.apache.kafka.connect.converters.ByteArrayConverter", "io.tributary.connect.converters.ByteArrayConverter");

    private final Map<String, PluginDescriptor> byClassName = new LinkedHashMap<>();

    private Plugins() {
    }

    /** Scans the class path and every directory of {@code pluginPath}; a plugin that fails to load is logged and skipped. */
    public static Plugins scan(List<Path> pluginPath) {
        Plugins plugins = new Plugins();
        ClassLoader app = Plugins.class.getClassLoader();
        plugins.register(app, "classpath");
        for (Path dir : pluginPath) {
            for (Path location : pluginLocations(dir)) {
                try {
                    plugins.register(new PluginClassLoader(location.toString(), jarsOf(location), app), location.toString());
                } catch (RuntimeException e) {
                    LOG.warn("Skipping plugin {}: {}", location, e.toString());
                }
            }
        }
        return plugins;
    }

    private void register(ClassLoader loader, String location) {
        for (Map.Entry<Class<?>, String> kind : KINDS.entrySet()) {
            Iterator<? extends ServiceLoader.Provider<?>> providers =
                    ServiceLoader.load(kind.getKey(), loader).stream().iterator();
            // A manifest naming a missing or broken class fails only that entry; the lookup goes on after it.
            for (int errors = 0; errors < MAX_BROKEN_ENTRIES; ) {
                try {
                    if (!providers.hasNext()) {
                        break;
                    }
                    Class<?> type = providers.next().type();
                    // A plugin loader also sees the class path's manifests; those belong to "classpath".
                    if (type.getClassLoader() == loader && !byClassName.containsKey(type.getName())) {
                        byClassName.put(type.getName(), new PluginDescriptor(type, kind.getValue(), version(type), location));
                    }
                } catch (ServiceConfigurationError | LinkageError e) {
                    errors++;
                    LOG.warn("Skipping a {} of {}: {}", kind.getValue(), location, e.toString());
                }
            }
        }
    }

    /** All plugins of one kind, by class name. */
    public List<PluginDescriptor> ofType(String... types) {
        List<String> wanted = List.of(types);
        return byClassName.values().stream().filter(p -> wanted.contains(p.type()))
                .sorted(Comparator.comparing(PluginDescriptor::className)).toList();
    }

    /** A connector by class name, simple name, or simple name without the "Connector" suffix, as Kafka accepts. */
    public Optional<PluginDescriptor> connector(String name) {
        return ofType("source", "sink").stream().filter(p -> matches(p, name)).findFirst();
    }

    private static boolean matches(PluginDescriptor plugin, String name) {
        String simple = plugin.pluginClass().getSimpleName();
        return plugin.className().equals(name) || simple.equals(name)
                || (simple.endsWith("Connector") && simple.substring(0, simple.length() - "Connector".length()).equals(name));
    }

    /**
     * A new instance of {@code className} as a {@code type}, loaded from the plugins first and then through
     * {@code fallback} (the connector's own loader, so a connector may bring its converters).
     */
    public <T> T newInstance(String className, Class<T> type, ClassLoader fallback) {
        PluginDescriptor known = byClassName.get(REPLACEMENTS.getOrDefault(className, className));
        if (known == null) {
            known = byAlias(className, type);
        }
        try {
            Class<?> cls = known != null ? known.pluginClass() : Class.forName(className, true, fallback);
            if (!type.isAssignableFrom(cls)) {
                throw new IllegalArgumentException(className + " is not a " + type.getSimpleName());
            }
            return withLoader(cls.getClassLoader(), () -> type.cast(cls.getDeclaredConstructor().newInstance()));
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("Class " + className + " could not be found", e);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("Could not instantiate " + className + ": " + e, e);
        }
    }

    /** A plugin of {@code type} whose simple class name is {@code alias}, as Kafka Connect accepts aliases. */
    private PluginDescriptor byAlias(String alias, Class<?> type) {
        if (alias.contains(".")) {
            return null;
        }
        return byClassName.values().stream()
                .filter(p -> type.isAssignableFrom(p.pluginClass()) && p.pluginClass().getSimpleName().equals(alias))
                .findFirst().orElse(null);
    }

    /** Runs plugin code with its class loader as the thread's context loader, as plugins expect. */
    public static <T> T withLoader(ClassLoader loader, Callable<T> call) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return call.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static String version(Class<?> type) {
        if (!Versioned.class.isAssignableFrom(type) && !Connector.class.isAssignableFrom(type)) {
            return "undefined";
        }
        try {
            Object instance = withLoader(type.getClassLoader(), () -> type.getDeclaredConstructor().newInstance());
            String version = instance instanceof Versioned v ? v.version() : null;
            return version == null ? "undefined" : version;
        } catch (Exception | LinkageError e) {
            return "undefined";
        }
    }

    /** Each subdirectory (with its jars, recursively) and each jar directly in {@code dir} is one plugin. */
    private static List<Path> pluginLocations(Path dir) {
        if (!Files.isDirectory(dir)) {
            LOG.warn("Plugin directory {} does not exist", dir);
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> Files.isDirectory(p) || p.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URL[] jarsOf(Path location) {
        List<URL> urls = new ArrayList<>();
        try {
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.walk(location)) {
                    for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                        urls.add(jar.toUri().toURL());
                    }
                }
                urls.add(location.toUri().toURL()); // loose classes too
            } else {
                urls.add(location.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return urls.toArray(URL[]::new);
    }

    private static Map<Class<?>, String> kinds() {
        Map<Class<?>, String> kinds = new LinkedHashMap<>();
        kinds.put(SourceConnector.class, "source");
        kinds.put(SinkConnector.class, "sink");
        kinds.put(Converter.class, "converter");
        kinds.put(HeaderConverter.class, "header_converter");
        kinds.put(Transformation.class, "transformation");
        kinds.put(Predicate.class, "predicate");
        return kinds;
    }
}
