package io.tributary.gateway.mqtt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The users file named by mqtt.credentials.file. One entry a line, blank lines and # comments ignored:
 * <pre>
 * user      NAME  pbkdf2-sha256$ITERATIONS$SALT$HASH
 * publish   NAME  FILTER      # NAME may publish to topics matching FILTER
 * subscribe NAME  FILTER      # NAME may subscribe to filters FILTER covers
 * </pre>
 * NAME {@code *} grants every client, {@code anonymous} clients without a username; %u and %c in a filter
 * stand for the username and the client id.
 */
final class CredentialsFile {

    record Grants(List<String> publish, List<String> subscribe) {
    }

    private final Map<String, String> hashes;
    private final Map<String, Grants> grants;

    private CredentialsFile(Map<String, String> hashes, Map<String, Grants> grants) {
        this.hashes = hashes;
        this.grants = grants;
    }

    static CredentialsFile empty() {
        return new CredentialsFile(Map.of(), Map.of());
    }

    static String userLine(String name, String hash) {
        return "user " + name + " " + hash;
    }

    static CredentialsFile read(Path file) throws IOException {
        Map<String, String> hashes = new HashMap<>();
        Map<String, Grants> grants = new HashMap<>();
        int lineNo = 0;
        for (String raw : Files.readAllLines(file)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 3) {
                throw new IOException(file + ":" + lineNo + ": expected 'user|publish|subscribe NAME VALUE'");
            }
            Grants g = grants.computeIfAbsent(parts[1], n -> new Grants(new ArrayList<>(), new ArrayList<>()));
            switch (parts[0]) {
                case "user" -> hashes.put(parts[1], parts[2]);
                case "publish" -> g.publish().add(parts[2]);
                case "subscribe" -> g.subscribe().add(parts[2]);
                default -> throw new IOException(file + ":" + lineNo + ": unknown entry '" + parts[0] + "'");
            }
        }
        return new CredentialsFile(hashes, grants);
    }

    /** The stored hash of a user, or null. */
    String hashOf(String user) {
        return hashes.get(user);
    }

    boolean isEmpty() {
        return hashes.isEmpty() && grants.isEmpty();
    }

    /** Filters granted to {@code name} directly and through {@code *}. */
    Grants grantsOf(String name) {
        List<String> pub = new ArrayList<>();
        List<String> sub = new ArrayList<>();
        for (String n : new String[]{name, "*"}) {
            Grants g = grants.get(n);
            if (g != null) {
                pub.addAll(g.publish());
                sub.addAll(g.subscribe());
            }
        }
        return new Grants(pub, sub);
    }
}
