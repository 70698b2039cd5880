package io.tributary.connect.plugins;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one plugin: its own jars first, so a plugin may bring other versions of libraries
 * than the broker's, except for the JDK, logging and Kafka's packages, which every plugin must share with
 * the runtime for the Connect API types to be the same classes on both sides.
 */
final class PluginClassLoader extends URLClassLoader {

    private static final String[] SHARED_PREFIXES = {"java.", "javax.", "jdk.", "sun.", "org.slf4j.", "org.apache.kafka."};

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final String location;

    PluginClassLoader(String location, URL[] jars, ClassLoader parent) {
        super(jars, parent);
        this.location = location;
    }

    String location() {
        return location;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (shared(name)) {
            try {
                return super.loadClass(name, resolve);
            } catch (ClassNotFoundException notShared) {
                // A Kafka package the runtime does not have (connect-file, say): the plugin's own copy.
            }
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                try {
                    loaded = findClass(name);
                } catch (ClassNotFoundException notInPlugin) {
                    loaded = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    public URL getResource(String name) {
        URL own = findResource(name);
        return own != null ? own : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> urls = new ArrayList<>(Collections.list(findResources(name)));
        urls.addAll(Collections.list(getParent().getResources(name)));
        return Collections.enumeration(urls);
    }

    private static boolean shared(String name) {
        for (String prefix : SHARED_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "PluginClassLoader[" + location + "]";
    }
}
