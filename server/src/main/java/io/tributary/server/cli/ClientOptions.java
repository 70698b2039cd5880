package io.tributary.server.cli;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Where the CLI connects and how it prints: shared by every client command. */
public final class ClientOptions {

    @Option(names = {"-b", "--bootstrap-server"}, paramLabel = "host:port", defaultValue = "localhost:9092",
            description = "Any member of the cluster (default: ${DEFAULT-VALUE}).")
    String bootstrapServer;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Kafka client properties (security settings, timeouts) for the connection.")
    Path commandConfig;

    @Option(names = {"-o", "--output"}, paramLabel = "table|json", defaultValue = "table",
            description = "Output format: table or json (default: table).")
    OutputFormat output;

    /** Client properties: the bootstrap server, short timeouts for an interactive tool, then the file. */
    Properties clientProperties() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, "tributary-cli");
        if (commandConfig != null) {
            try (Reader reader = Files.newBufferedReader(commandConfig)) {
                props.load(reader);
            } catch (IOException e) {
                throw new CliException("Cannot read " + commandConfig + ": " + e.getMessage());
            }
        }
        return props;
    }

    Admin admin() {
        return Admin.create(clientProperties());
    }
}
