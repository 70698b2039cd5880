package io.tributary.connect.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server for one test class: initdb into a temp directory, pg_ctl start on a free port,
 * stopped and deleted afterwards. Uses the binaries of Debian's postgresql package; when running as root
 * it runs them as the postgres user, which PostgreSQL requires.
 */
public final class PostgresServer implements AutoCloseable {

    private static final String USER = "postgres";

    private final Path bin;
    private final Path root;
    private final Path data;
    private final int port;

    private PostgresServer(Path bin, Path root, int port) {
        this.bin = bin;
        this.root = root;
        this.data = root.resolve("data");
        this.port = port;
    }

    /** The bin directory of the newest installed PostgreSQL, if any. */
    public static Optional<Path> binaries() {
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int versionOf(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString().split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static PostgresServer start(Path bin) throws IOException, InterruptedException {
        // Not under JUnit's @TempDir: that is root-only (0700) and the postgres user must reach its directory.
        Path root = Files.createTempDirectory("tributary-pg-");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        PostgresServer server = new PostgresServer(bin, root, ExternalProcess.freePort());
        if (ExternalProcess.isRoot()) {
            ExternalProcess.run(List.of("chown", USER, root.toString()), 10);
        }
        server.initAndStart();
        return server;
    }

    private void initAndStart() throws IOException, InterruptedException {
        ExternalProcess.run(ExternalProcess.as(USER, List.of(bin.resolve("initdb").toString(), "-D", data.toString(),
                "-U", USER, "-A", "trust", "--no-sync", "-E", "UTF8")), 120);
        ExternalProcess.run(ExternalProcess.as(USER, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(),
                "-l", root.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + root + " -c listen_addresses=127.0.0.1 -c fsync=off", "start")), 90);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return USER;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, null);
    }

    /** Stops the server (fast shutdown: open transactions are rolled back) and deletes its files. */
    @Override
    public void close() throws Exception {
        try {
            ExternalProcess.run(ExternalProcess.as(USER, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(),
                    "-m", "fast", "-w", "stop")), 60);
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
