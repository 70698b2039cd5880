package io.tributary.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The partition's persisted positions, replaced atomically (temp file, fsync, rename, fsync directory):
 * the log start offset (moved by DeleteRecords and retention) and the recovery point (everything below it is
 * fsynced, so an unclean restart scans only from there). Plain text so an operator can read it.
 */
record Checkpoint(long logStartOffset, long recoveryPoint) {
    private static final Logger log = LoggerFactory.getLogger(Checkpoint.class);
    private static final String VERSION = "1";

    static Optional<Checkpoint> read(Path dir) throws IOException {
        Path file = dir.resolve(LogFiles.CHECKPOINT);
        if (!Files.exists(file)) return Optional.empty();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Properties p = new Properties();
        p.load(new java.io.StringReader(text));
        try {
            if (!VERSION.equals(p.getProperty("version"))) throw new NumberFormatException("version " + p.getProperty("version"));
            long start = Long.parseLong(p.getProperty("logStartOffset"));
            long recovery = Long.parseLong(p.getProperty("recoveryPoint"));
            if (start < 0 || recovery < 0) throw new NumberFormatException("negative offset");
            return Optional.of(new Checkpoint(start, recovery));
        } catch (NumberFormatException e) {
            log.warn("Ignoring unreadable checkpoint {} ({}); the whole log will be scanned", file, e.getMessage());
            return Optional.empty();
        }
    }

    void write(Path dir) throws IOException {
        String text = "version=" + VERSION + "\nlogStartOffset=" + logStartOffset + "\nrecoveryPoint=" + recoveryPoint + "\n";
        IoUtil.atomicWrite(dir.resolve(LogFiles.CHECKPOINT), ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), true);
    }
}
