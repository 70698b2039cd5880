package io.tributary.connect.plugins;

import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.sink.SinkConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Plugin discovery and class loader isolation, on Kafka's real connect-file jar and jars made here. */
class PluginsTest {

    private static final Path KAFKA_PLUGINS = Path.of(System.getProperty("connect.test.plugin.dir"));

    @TempDir
    Path dir;

    @Test
    void aPluginGetsItsOwnLoaderButSharesTheConnectApiWithTheRuntime() throws Exception {
        Plugins plugins = Plugins.scan(List.of(KAFKA_PLUGINS));
        PluginDescriptor sink = plugins.connector("FileStreamSink").orElseThrow();
        assertThat(sink.className()).isEqualTo("org.apache.kafka.connect.file.FileStreamSinkConnector");
        assertThat(sink.type()).isEqualTo("sink");
        assertThat(sink.location()).endsWith("kafka-connect-file");
        assertThat(sink.loader()).isInstanceOf(PluginClassLoader.class).isNotSameAs(getClass().getClassLoader());
        Connector connector = plugins.newInstance(sink.className(), Connector.class, sink.loader());
        assertThat(connector).isInstanceOf(SinkConnector.class);
        assertThat(plugins.connector("FileStreamSinkConnector")).contains(sink);
        assertThat(plugins.connector("FileSinkConnector").orElseThrow().location()).isEqualTo("classpath");
    }

    @Test
    void aPluginSeesItsOwnCopyOfAResourceBeforeTheRuntimes() throws Exception {
        Path plugin = Files.createDirectories(dir.resolve("probe"));
        jar(plugin.resolve("probe.jar"), "tributary-probe.txt", "plugin");
        PluginClassLoader loader = new PluginClassLoader(plugin.toString(),
                new java.net.URL[] {plugin.resolve("probe.jar").toUri().toURL()}, getClass().getClassLoader());
        try (InputStream in = loader.getResource("tributary-probe.txt").openStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("plugin");
        }
        try (InputStream in = getClass().getClassLoader().getResource("tributary-probe.txt").openStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim()).isEqualTo("app");
        }
        assertThat(loader.loadClass(Connector.class.getName())).isSameAs(Connector.class);
    }

    @Test
    void aBrokenPluginIsSkippedAndTheOthersStillLoad() throws Exception {
        Path broken = Files.createDirectories(dir.resolve("broken"));
        jar(broken.resolve("broken.jar"), "META-INF/services/org.apache.kafka.connect.sink.SinkConnector",
                "com.example.DoesNotExist\n");
        Files.copy(KAFKA_PLUGINS.resolve("kafka-connect-file").resolve("connect-file-4.3.1.jar"),
                dir.resolve("connect-file-4.3.1.jar"));
        Plugins plugins = Plugins.scan(List.of(dir, dir.resolve("missing")));
        assertThat(plugins.connector("FileStreamSource")).isPresent();
        assertThat(plugins.ofType("sink")).extracting(PluginDescriptor::className)
                .doesNotContain("com.example.DoesNotExist");
    }

    private static void jar(Path jar, String entry, String content) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
            jarOut.putNextEntry(new JarEntry(entry));
            jarOut.write(content.getBytes(StandardCharsets.UTF_8));
            jarOut.closeEntry();
        }
    }
}
