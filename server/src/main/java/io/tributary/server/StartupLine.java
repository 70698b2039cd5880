package io.tributary.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The one line that tells an operator the broker is up and where to reach it. */
final class StartupLine {

    private StartupLine() {
    }

    /**
     * "Tributary 0.1.0 started: node 0, kafka PLAINTEXT://127.0.0.1:9092, data ./data (1.2 s)".
     * Several listeners or directories are comma-separated, as in the config.
     */
    static String format(String version, int nodeId, List<String> listenerUris, List<Path> dataDirs, Duration elapsed) {
        return String.format(Locale.ROOT, "Tributary %s started: node %d, kafka %s, data %s (%.1f s)",
                version, nodeId, String.join(",", listenerUris),
                dataDirs.stream().map(Path::toString).collect(Collectors.joining(",")),
                elapsed.toMillis() / 1000.0);
    }

    /** NAME://host:port, with an IPv6 host in brackets. */
    static String uri(String name, String host, int port) {
        return name + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
