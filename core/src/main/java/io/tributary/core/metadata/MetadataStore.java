package io.tributary.core.metadata;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Persists the topic table as JSON in the metadata directory of the first log dir, so topics, their
 * ids, partition counts and configs survive a restart. Writes are atomic (temp file, fsync, rename):
 * a crash leaves either the old or the new table, never half of one. Blocking: call off the event loop.
 */
public final class MetadataStore {

    static final String DIRECTORY = "__tributary_metadata";
    private static final String TOPICS_FILE = "topics.json";
    private static final String DELETED_FILE = "deleted-topics.json";

    private static final int FORMAT_VERSION = 1;

    private final Path directory;

    public MetadataStore(Path logDir) {
        this.directory = logDir.resolve(DIRECTORY);
    }

    public Path directory() {
        return directory;
    }

    /** The stored topics; partitions of files older than replication belong to {@code nodeId} alone. */
    public List<TopicInfo> loadTopics(int nodeId) throws IOException {
        JsonObject stored = readJson(TOPICS_FILE);
        if (stored == null) {
            return List.of();
        }
        List<TopicInfo> topics = new ArrayList<>();
        try {
            JsonArray entries = stored.getJsonArray("topics", new JsonArray());
            for (int i = 0; i < entries.size(); i++) {
                topics.add(TopicInfoJson.fromJson(entries.getJsonObject(i), nodeId));
            }
        } catch (ClassCastException | IllegalArgumentException e) {
            throw malformed(TOPICS_FILE, e);
        }
        return topics;
    }

    public void saveTopics(MetadataImage image) throws IOException {
        JsonArray topics = new JsonArray();
        image.topics().stream()
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .forEach(topic -> topics.add(TopicInfoJson.toJson(topic)));
        writeJson(TOPICS_FILE, new JsonObject().put("version", FORMAT_VERSION).put("topics", topics));
    }

    /** The ids of topics deleted in the cluster, kept so a member's stale copy of one never brings it back. */
    public Set<Uuid> loadDeletedTopicIds() throws IOException {
        JsonObject stored = readJson(DELETED_FILE);
        if (stored == null) {
            return Set.of();
        }
        Set<Uuid> ids = new LinkedHashSet<>();
        try {
            JsonArray entries = stored.getJsonArray("ids", new JsonArray());
            for (int i = 0; i < entries.size(); i++) {
                String id = entries.getString(i);
                if (id == null) {
                    throw new IllegalArgumentException("'ids[" + i + "]' is missing");
                }
                ids.add(Uuid.fromString(id));
            }
        } catch (ClassCastException | IllegalArgumentException e) {
            throw malformed(DELETED_FILE, e);
        }
        return ids;
    }

    public void saveDeletedTopicIds(Set<Uuid> ids) throws IOException {
        JsonArray strings = new JsonArray();
        ids.forEach(id -> strings.add(id.toString()));
        writeJson(DELETED_FILE, new JsonObject().put("version", FORMAT_VERSION).put("ids", strings));
    }

    private JsonObject readJson(String name) throws IOException {
        byte[] content = read(name);
        if (content == null) {
            return null;
        }
        try {
            return TopicInfoJson.parse(new String(content, StandardCharsets.UTF_8));
        } catch (DecodeException | ClassCastException e) {
            throw malformed(name, e);
        }
    }

    private void writeJson(String name, JsonObject content) throws IOException {
        writeAtomically(name, TopicInfoJson.CODEC.toString(content, true).getBytes(StandardCharsets.UTF_8));
    }

    private IOException malformed(String name, Exception cause) {
        return new IOException("Malformed " + directory.resolve(name) + ": " + cause.getMessage(), cause);
    }

    /** Writes {@code name} in the metadata directory so that readers never see a partial file. */
    public void writeAtomically(String name, byte[] content) throws IOException {
        Files.createDirectories(directory);
        Path target = directory.resolve(name);
        Path temp = directory.resolve(name + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(content));
            ch.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory();
    }

    /**
     * Reads {@code name} bound to a record type ({@code null} when there is no such file). For the files of
     * features most brokers never use (ACLs, SCRAM users, quotas): data binding is loaded on first use only.
     */
    public <T> T readBound(String name, Class<T> type) throws IOException {
        byte[] content = read(name);
        return content == null ? null : Binding.JSON.readValue(content, type);
    }

    /** Writes {@code value}, a record, to {@code name} as indented JSON, atomically. */
    public void writeBound(String name, Object value) throws IOException {
        writeAtomically(name, Binding.JSON.writeValueAsBytes(value));
    }

    public byte[] read(String name) throws IOException {
        Path file = directory.resolve(name);
        return Files.exists(file) ? Files.readAllBytes(file) : null;
    }

    /** Holds the ObjectMapper, so that it is built only when a bound file is first read or written. */
    private static final class Binding {
        static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private void syncDirectory() {
        // Makes the rename itself durable; not every file system allows opening a directory.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
