package io.tributary.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.tributary.storage.LogTestSupport.MutableClock;
import static io.tributary.storage.LogTestSupport.T0;
import static io.tributary.storage.LogTestSupport.batch;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ENOSPC on a real full file system: a 2 MiB tmpfs this test mounts (as root; skipped with the reason logged
 * elsewhere). A failed append leaves nothing of its batch behind, reads go on, and appends work again once space
 * is freed.
 */
class DiskFullTest {
    private static final Logger log = LoggerFactory.getLogger(DiskFullTest.class);

    @TempDir
    Path tmp;
    Path mount;
    boolean mounted;

    @BeforeEach
    void mountTmpfs() throws Exception {
        mount = tmp.resolve("tmpfs");
        Files.createDirectories(mount);
        String reason = tryMount(mount, "2m");
        if (reason != null) log.warn("Skipping the disk-full test: {}", reason);
        Assumptions.assumeTrue(reason == null, reason);
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) run("umount", "-l", mount.toString());
    }

    /** Null if mounted, else why not. */
    static String tryMount(Path dir, String size) {
        if (!"root".equals(System.getProperty("user.name"))) return "not running as root";
        try {
            int code = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
            return code == 0 ? null : "mount -t tmpfs exited with " + code;
        } catch (Exception e) {
            return "mount -t tmpfs failed: " + e;
        }
    }

    static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    @Test
    void aFullDiskFailsTheAppendCleanlyAndTheLogRecoversWhenSpaceIsFreed() throws Exception {
        Path ballast = mount.resolve("ballast");
        Files.write(ballast, new byte[512 * 1024]);
        Path dir = mount.resolve("t-0");
        MutableClock clock = new MutableClock(T0);
        LogConfig config = LogConfig.DEFAULT.withSegmentBytes(256 * 1024);
        long accepted = 0;
        LogException failure = null;
        try (PartitionLog plog = PartitionLog.open(dir, config, clock)) {
            for (int i = 0; i < 10_000 && failure == null; i++) {
                try {
                    accepted = plog.append(batch(T0, 4, 1000), 0).lastOffset() + 1;
                } catch (LogException e) {
                    failure = e;
                }
            }
            assertThat(failure).isNotNull();
            assertThat(failure.error()).isEqualTo(LogError.STORAGE_ERROR);
            assertThat(plog.logEndOffset()).isEqualTo(accepted);
            long sizeAfterFailure = plog.sizeInBytes();
            // Nothing of the failed batch is left in the file: the files hold exactly the accepted batches.
            assertThat(sizeAfterFailure % LogTestSupport.batch(T0, 4, 1000).remaining()).isZero();
            // Reads keep working, from the start to the end.
            assertThat(LogTestSupport.allBatches(plog)).hasSize((int) (accepted / 4));
            assertThat(plog.read(0, 100_000, true).sizeInBytes()).isPositive();

            Files.delete(ballast);
            long next = plog.append(batch(T0, 4, 1000), 0).baseOffset();
            assertThat(next).isEqualTo(accepted);
            accepted += 4;
            plog.closeUncleanly();
        }
        try (PartitionLog reopened = PartitionLog.open(dir, config, clock)) {
            assertThat(reopened.logEndOffset()).isEqualTo(accepted);
            assertThat(reopened.loadResult().bytesTruncated()).isZero();
            assertThat(LogTestSupport.allBatches(reopened)).allMatch(RecordBatchView::isValid);
        }
    }
}
