package io.tributary.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Keeps the members' logs of a multi-JVM test under target/it-logs, where a failed CI run can be read. */
final class ClusterLogs {

    private ClusterLogs() {
    }

    static void keep(Path root, String test) {
        Path target = Path.of("target", "it-logs", test);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".log")
                    && f.getParent().getFileName().toString().equals("logs"))::iterator) {
                Path copy = target.resolve(root.relativize(file).toString().replace("/logs/", "-"));
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("Could not keep the logs of " + test + ": " + e);
        }
    }
}
