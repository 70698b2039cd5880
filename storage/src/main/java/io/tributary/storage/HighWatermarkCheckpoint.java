package io.tributary.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The partition's high watermark and its file {@code highwatermark-checkpoint}: the owner moves it (core decides
 * when); flushes and close persist it, from whichever thread runs them. Writes are serialised and skip a value
 * already on disk.
 */
final class HighWatermarkCheckpoint {
    private static final Logger log = LoggerFactory.getLogger(HighWatermarkCheckpoint.class);
    private static final String VERSION = "0";

    private final Path file;
    private volatile long highWatermark;
    private long persisted = -1;

    private HighWatermarkCheckpoint(Path dir, long highWatermark) {
        this.file = dir.resolve(LogFiles.HIGH_WATERMARK_CHECKPOINT);
        this.highWatermark = highWatermark;
    }

    /** Loads the persisted value (0 when there is none), clamped to the log's offsets. */
    static HighWatermarkCheckpoint load(Path dir, long logStartOffset, long logEndOffset) throws IOException {
        Path file = dir.resolve(LogFiles.HIGH_WATERMARK_CHECKPOINT);
        long value = 0;
        try {
            String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n");
            if (lines.length < 2 || !VERSION.equals(lines[0].trim())) throw new NumberFormatException("unknown version");
            value = Long.parseLong(lines[1].trim());
        } catch (NoSuchFileException e) {
            // A fresh log, or one written before high watermarks were kept.
        } catch (NumberFormatException e) {
            log.warn("Ignoring unreadable high watermark checkpoint {} ({})", file, e.getMessage());
        }
        HighWatermarkCheckpoint hw = new HighWatermarkCheckpoint(dir, 0);
        hw.persisted = value;
        hw.highWatermark = clamp(value, logStartOffset, logEndOffset);
        return hw;
    }

    static long clamp(long value, long logStartOffset, long logEndOffset) {
        return Math.max(logStartOffset, Math.min(value, logEndOffset));
    }

    long get() {
        return highWatermark;
    }

    /** Owner: sets the value (already clamped by the caller). */
    void set(long value) {
        highWatermark = value;
    }

    /** Blocking: persists the current value (fsynced) unless the file already holds it. Any thread. */
    synchronized void write() throws IOException {
        long value = highWatermark;
        if (value == persisted) return;
        String text = VERSION + "\n" + value + "\n";
        IoUtil.atomicWrite(file, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), true);
        persisted = value;
    }
}
