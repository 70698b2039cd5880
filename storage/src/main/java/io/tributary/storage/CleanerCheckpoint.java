package io.tributary.storage;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * {@code cleaner.checkpoint}: where the last clean ended (the first dirty offset: everything below it has been
 * compacted against every key below it) and the latest delete horizon it stamped, after which expired tombstones
 * make the log worth cleaning again. Losing it only costs a redundant clean.
 */
record CleanerCheckpoint(long firstDirtyOffset, long deleteHorizonMs) {
    static final String FILE = "cleaner.checkpoint";
    static final CleanerCheckpoint NONE = new CleanerCheckpoint(0, BatchLayout.NO_TIMESTAMP);

    static CleanerCheckpoint read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) return NONE;
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return NONE;
        }
        Properties p = new Properties();
        p.load(new StringReader(text));
        try {
            return new CleanerCheckpoint(Long.parseLong(p.getProperty("firstDirtyOffset", "0")),
                    Long.parseLong(p.getProperty("deleteHorizonMs", "-1")));
        } catch (NumberFormatException e) {
            return NONE;
        }
    }

    void write(Path dir) throws IOException {
        String text = "version=1\nfirstDirtyOffset=" + firstDirtyOffset + "\ndeleteHorizonMs=" + deleteHorizonMs + "\n";
        IoUtil.atomicWrite(dir.resolve(FILE), ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), true);
    }
}
