package io.tributary.connect.file;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Map;

/** Writes values as lines; flush() makes them durable before the runtime commits their offsets. */
public final class FileSinkTask extends SinkTask {

    private FileChannel channel;
    private OutputStream out;

    @Override
    public void start(Map<String, String> props) {
        Path file = Path.of(new AbstractConfig(FileSinkConnector.CONFIG, props).getString(FileSinkConnector.FILE));
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
        } catch (IOException e) {
            throw new ConnectException("Cannot open " + file, e);
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        try {
            for (SinkRecord record : records) {
                Object value = record.value();
                if (value == null) {
                    continue; // a tombstone has no line
                }
                String line = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new ConnectException("Writing failed", e);
        }
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            out.flush();
            channel.force(false);
        } catch (IOException e) {
            throw new ConnectException("Flushing failed", e);
        }
    }

    @Override
    public void stop() {
        try {
            if (out != null) {
                out.flush();
                channel.force(false);
                out.close();
            }
        } catch (IOException e) {
            throw new ConnectException("Closing failed", e);
        }
    }

    @Override
    public String version() {
        return Version.VERSION;
    }
}
