package io.tributary.connect.file;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads complete lines from where the stored offset says, publishing each with the position after it. */
public final class FileSourceTask extends SourceTask {

    private static final String POSITION = "position";
    private static final String FILENAME = "filename";

    private Path file;
    private String topic;
    private int batchSize;
    private long pollIntervalMs;
    private Map<String, String> partition;
    private FileChannel channel;
    /** Position of the first byte not yet part of a published line. */
    private long position;
    /** Bytes of a line whose newline has not been read yet. */
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

    @Override
    public void start(Map<String, String> props) {
        AbstractConfig config = new AbstractConfig(FileSourceConnector.CONFIG, props);
        file = Path.of(config.getString(FileSourceConnector.FILE));
        topic = config.getString(FileSourceConnector.TOPIC);
        batchSize = config.getInt(FileSourceConnector.BATCH_SIZE);
        pollIntervalMs = config.getLong(FileSourceConnector.POLL_INTERVAL_MS);
        partition = Map.of(FILENAME, file.toAbsolutePath().toString());
        Map<String, Object> stored = context.offsetStorageReader().offset(partition);
        Object storedPosition = stored == null ? null : stored.get(POSITION);
        position = storedPosition instanceof Number n ? n.longValue() : 0L;
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        try {
            if (channel == null && !open()) {
                Thread.sleep(pollIntervalMs); // the file does not exist yet; poll() may block
                return null;
            }
            List<SourceRecord> lines = readLines();
            if (lines.isEmpty()) {
                Thread.sleep(pollIntervalMs); // at the end of the file: wait for more, as a tail does
                return null;
            }
            return lines;
        } catch (IOException e) {
            throw new ConnectException("Reading " + file + " failed", e);
        }
    }

    private boolean open() throws IOException {
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false;
        }
        channel.position(position);
        partial.reset();
        return true;
    }

    private List<SourceRecord> readLines() throws IOException {
        List<SourceRecord> lines = new ArrayList<>();
        long lineStart = position + partial.size();
        while (lines.size() < batchSize) {
            buffer.clear();
            int read = channel.read(buffer);
            if (read <= 0) {
                break;
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                lineStart++;
                if (b == '\n') {
                    byte[] bytes = partial.toByteArray();
                    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    String line = new String(bytes, 0, length, StandardCharsets.UTF_8);
                    partial.reset();
                    position = lineStart;
                    lines.add(new SourceRecord(partition, Map.of(POSITION, position), topic, null,
                            null, null, Schema.STRING_SCHEMA, line));
                    if (lines.size() >= batchSize) {
                        // Leave the rest of the buffer for the next poll.
                        channel.position(position);
                        partial.reset();
                        return lines;
                    }
                } else {
                    partial.write(b);
                }
            }
        }
        return lines;
    }

    @Override
    public void stop() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // closing a read-only channel: nothing is lost
        }
    }

    @Override
    public String version() {
        return Version.VERSION;
    }
}
