package io.tributary.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The commit record of a compaction swap, {@code cleaner.swap}: which segments (by base offset) the cleaned ones
 * replace. The cleaner writes the cleaned segments as {@code <base>.log.cleaned} (plus their indexes), fsyncs them,
 * and only then writes this file atomically; that write is the commit point. Then it renames the cleaned files into
 * place and deletes the replaced ones, and finally removes this file.
 *
 * <p>Crash at any point: without this file every {@code .cleaned} file is a stray and the old segments are intact;
 * with it the loader rolls the swap forward ({@link #rollForward}), which is idempotent. Either way the directory
 * holds exactly the old set of segments or exactly the new one, never a mix. (Kafka renames {@code .cleaned} to
 * {@code .swap} and infers from the swap segment's offsets which old segments it covers; an explicit list cannot
 * be fooled by a cleaned segment whose last batches were all compacted away.)
 */
record SwapIntent(List<Long> replaced, List<Long> installed) {
    static final String FILE = "cleaner.swap";
    static final String CLEANED = ".cleaned";
    private static final Logger log = LoggerFactory.getLogger(SwapIntent.class);
    private static final String[] SUFFIXES = {LogSegment.LOG_SUFFIX, LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX};

    static Optional<SwapIntent> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) return Optional.empty();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Properties p = new Properties();
        p.load(new StringReader(text));
        try {
            return Optional.of(new SwapIntent(parse(p.getProperty("replaced")), parse(p.getProperty("installed"))));
        } catch (RuntimeException e) {
            throw new IOException("unreadable " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    private static List<Long> parse(String csv) {
        List<Long> out = new ArrayList<>();
        if (csv == null) throw new IllegalArgumentException("missing list");
        for (String s : csv.split(",")) {
            if (!s.isBlank()) out.add(Long.parseLong(s.trim()));
        }
        return out;
    }

    /** Persists the intent (fsynced file and directory): from here on the swap will complete, even after a crash. */
    void write(Path dir) throws IOException {
        String text = "version=1\nreplaced=" + join(replaced) + "\ninstalled=" + join(installed) + "\n";
        IoUtil.atomicWrite(dir.resolve(FILE), ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), true);
    }

    private static String join(List<Long> offsets) {
        StringBuilder sb = new StringBuilder();
        for (long o : offsets) {
            if (!sb.isEmpty()) sb.append(',');
            sb.append(o);
        }
        return sb.toString();
    }

    /**
     * Moves the cleaned files into place and deletes the replaced segments' files. Every step tolerates having
     * been done already. The intent file itself is left for {@link #finish} once the directory is synced.
     */
    void apply(Path dir) throws IOException {
        for (long base : installed) {
            for (String suffix : SUFFIXES) {
                Path cleaned = dir.resolve(LogSegment.fileName(base, suffix) + CLEANED);
                if (Files.exists(cleaned)) {
                    move(cleaned, dir.resolve(LogSegment.fileName(base, suffix)));
                    CrashPoints.reached("swap-renamed");
                }
            }
        }
        for (long base : replaced) {
            if (installed.contains(base)) continue;
            for (String suffix : SUFFIXES) Files.deleteIfExists(dir.resolve(LogSegment.fileName(base, suffix)));
        }
        IoUtil.fsyncDirectory(dir);
    }

    static void finish(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE));
    }

    /** At start-up, before strays are removed: completes a swap a crash interrupted. Returns whether there was one. */
    static boolean rollForward(Path dir) throws IOException {
        Optional<SwapIntent> intent = read(dir);
        if (intent.isEmpty()) return false;
        log.info("Completing the compaction swap of {} that a crash interrupted: segments {} replaced by {}", dir,
                intent.get().replaced(), intent.get().installed());
        for (long base : intent.get().installed()) {
            Path cleaned = dir.resolve(LogSegment.fileName(base, LogSegment.LOG_SUFFIX) + CLEANED);
            Path installed = dir.resolve(LogSegment.fileName(base, LogSegment.LOG_SUFFIX));
            if (!Files.exists(cleaned) && !Files.exists(installed)) {
                // Not a swap this code committed (the cleaned files are written and synced before the intent):
                // keep every existing segment rather than delete any on its say-so.
                log.warn("Ignoring {} in {}: cleaned segment {} is missing", FILE, dir, base);
                finish(dir);
                return false;
            }
        }
        intent.get().apply(dir);
        finish(dir);
        return true;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
