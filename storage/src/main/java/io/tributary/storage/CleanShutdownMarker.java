package io.tributary.storage;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * {@code .clean-shutdown}, written last by a clean close: it vouches for the log exactly as it was then, naming its
 * segment count, last segment and that segment's size. A start-up trusts the log without scanning it only if the
 * directory still matches.
 *
 * <p>Because the marker describes what it vouches for, it needs no fsync and is not even removed at start-up,
 * which is what keeps opening (and closing) thousands of partitions fast (removing a file the last close just
 * wrote can wait on the file system's journal for milliseconds, a thousand times over). After the restart the log
 * changes in ways that all break the match: an append grows the last segment, a roll or retention changes the
 * segment count, and a truncation (the one change that could shrink and regrow a segment to the same size)
 * removes the marker first. A compaction swap may keep the match, which is harmless: cleaned segments are fsynced
 * before they are swapped in. A marker lost in a power cut only costs a scan; a marker whose content did not
 * survive (empty or unreadable) vouches for nothing.
 */
record CleanShutdownMarker(int segmentCount, long lastSegmentBase, long lastSegmentSize) {

    /** The marker, or null if there is none or it is unreadable. */
    static CleanShutdownMarker read(Path dir) throws IOException {
        Path file = dir.resolve(LogFiles.CLEAN_SHUTDOWN);
        if (!Files.exists(file)) return null;
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        Properties p = new Properties();
        p.load(new StringReader(text));
        try {
            return new CleanShutdownMarker(Integer.parseInt(p.getProperty("segments")),
                    Long.parseLong(p.getProperty("lastSegmentBase")), Long.parseLong(p.getProperty("lastSegmentSize")));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** True if {@code bases} (ascending) and the last segment's size are what this marker recorded. */
    boolean matches(Path dir, List<Long> bases) throws IOException {
        if (bases.size() != segmentCount || bases.isEmpty() || bases.get(bases.size() - 1) != lastSegmentBase) {
            return false;
        }
        Path last = dir.resolve(LogSegment.fileName(lastSegmentBase, LogSegment.LOG_SUFFIX));
        return Files.exists(last) && Files.size(last) == lastSegmentSize;
    }

    /** Before a truncation: the log is about to stop matching in a way size alone might not show. */
    static void remove(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(LogFiles.CLEAN_SHUTDOWN));
    }

    /** Written without fsync (see the class comment); a rename makes it appear whole or not at all. */
    void write(Path dir) throws IOException {
        String text = "version=1\nsegments=" + segmentCount + "\nlastSegmentBase=" + lastSegmentBase
                + "\nlastSegmentSize=" + lastSegmentSize + "\n";
        IoUtil.atomicWrite(dir.resolve(LogFiles.CLEAN_SHUTDOWN), ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)),
                false);
    }
}
