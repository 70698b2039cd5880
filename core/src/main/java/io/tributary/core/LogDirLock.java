package io.tributary.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An exclusive lock on every log dir, held while the broker runs, so two brokers started on the same
 * data by mistake cannot both write it (the second one refuses to start).
 */
final class LogDirLock implements AutoCloseable {

    private static final String LOCK_FILE = ".lock";
    private final List<FileChannel> channels = new ArrayList<>();
    private final List<FileLock> locks = new ArrayList<>();

    static LogDirLock acquire(List<Path> dirs) throws IOException {
        LogDirLock lock = new LogDirLock();
        try {
            for (Path dir : dirs) {
                Files.createDirectories(dir);
                FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                lock.channels.add(channel);
                FileLock fileLock = channel.tryLock();
                if (fileLock == null) {
                    throw new IOException("The log dir " + dir.toAbsolutePath()
                            + " is in use by another broker process");
                }
                lock.locks.add(fileLock);
            }
            return lock;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    @Override
    public void close() {
        for (FileLock lock : locks) {
            try {
                lock.release();
            } catch (IOException ignored) {
                // closing the channel releases it too
            }
        }
        for (FileChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }
}
