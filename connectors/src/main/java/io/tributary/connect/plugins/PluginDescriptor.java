package io.tributary.connect.plugins;

/**
 * One plugin class found on the class path or in the plugin directory.
 *
 * @param type    the REST API's name for its kind: source, sink, converter, header_converter, transformation, predicate
 * @param location "classpath" or the plugin's directory or jar
 */
public record PluginDescriptor(Class<?> pluginClass, String type, String version, String location) {

    public String className() {
        return pluginClass.getName();
    }

    public ClassLoader loader() {
        return pluginClass.getClassLoader();
    }
}
