package io.tributary.core.metadata;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
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

    private final Path directory;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public MetadataStore(Path logDir) {
        this.directory = logDir.resolve(DIRECTORY);
    }

    public Path directory() {
        return directory;
    }

    /** The stored topics; partitions of files older than replication belong to {@code nodeId} alone. */
    public List<TopicInfo> loadTopics(int nodeId) throws IOException {
        Path file = directory.resolve(TOPICS_FILE);
        if (!Files.exists(file)) {
            return List.of();
        }
        TopicsFile stored = json.readValue(file.toFile(), TopicsFile.class);
        List<TopicInfo> topics = new ArrayList<>();
        for (TopicInfoJson.Stored t : stored.topics()) {
            topics.add(TopicInfoJson.fromStored(t, nodeId));
        }
        return topics;
    }

    public void saveTopics(MetadataImage image) throws IOException {
        List<TopicInfoJson.Stored> topics = image.topics().stream()
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .map(TopicInfoJson::toStored)
                .toList();
        writeAtomically(TOPICS_FILE, json.writeValueAsBytes(new TopicsFile(1, topics)));
    }

    /** The ids of topics deleted in the cluster, kept so a member's stale copy of one never brings it back. */
    public Set<Uuid> loadDeletedTopicIds() throws IOException {
        Path file = directory.resolve(DELETED_FILE);
        if (!Files.exists(file)) {
            return Set.of();
        }
        Set<Uuid> ids = new LinkedHashSet<>();
        for (String id : json.readValue(file.toFile(), DeletedFile.class).ids()) {
            ids.add(Uuid.fromString(id));
        }
        return ids;
    }

    public void saveDeletedTopicIds(Set<Uuid> ids) throws IOException {
        List<String> strings = ids.stream().map(Uuid::toString).toList();
        writeAtomically(DELETED_FILE, json.writeValueAsBytes(new DeletedFile(1, strings)));
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

    public byte[] read(String name) throws IOException {
        Path file = directory.resolve(name);
        return Files.exists(file) ? Files.readAllBytes(file) : null;
    }

    private void syncDirectory() {
        // Makes the rename itself durable; not every file system allows opening a directory.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // best effort
        }
    }

    record TopicsFile(int version, List<TopicInfoJson.Stored> topics) {
    }

    record DeletedFile(int version, List<String> ids) {
    }
}
