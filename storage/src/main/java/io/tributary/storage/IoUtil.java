package io.tributary.storage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/** Small blocking file helpers: positional full reads/writes, fsync of directories, crash-safe replace. */
final class IoUtil {
    private IoUtil() {
    }

    /** Reads until {@code dst} is full; a file that ends first is an error. */
    static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        long p = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, p);
            if (n < 0) throw new EOFException("unexpected end of file at byte " + p + " (wanted " + dst.remaining() + " more)");
            p += n;
        }
    }

    static void writeFully(FileChannel ch, ByteBuffer src, long position) throws IOException {
        long p = position;
        while (src.hasRemaining()) {
            p += ch.write(src, p);
        }
    }

    /** Makes renames, creations and deletions inside {@code dir} durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; there the rename itself is the best we get.
            if (!System.getProperty("os.name", "").toLowerCase().contains("win")) throw e;
        }
    }

    /** Writes {@code data} to {@code target} via a fsynced temp file and an atomic rename, so readers see old or new. */
    static void atomicWrite(Path target, ByteBuffer data, boolean sync) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, data, 0);
            if (sync) ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (sync) fsyncDirectory(target.getParent());
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) return;
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) throw exc;
                try {
                    Files.deleteIfExists(dir);
                } catch (NoSuchFileException ignored) {
                    // already gone
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** {@link #deleteRecursively}, retried briefly while another thread finishing a write adds a file to the tree. */
    static void deleteRecursivelyRetrying(Path root) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                deleteRecursively(root);
                return;
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                if (attempt == 5) throw e;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
