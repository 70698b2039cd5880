package io.tributary.storage;

/** Names of the files in a partition directory. */
final class LogFiles {
    static final String CLEAN_SHUTDOWN = ".clean-shutdown";
    static final String CHECKPOINT = "partition.checkpoint";
    static final String LEADER_EPOCH_CHECKPOINT = "leader-epoch-checkpoint";
    static final String HIGH_WATERMARK_CHECKPOINT = "highwatermark-checkpoint";
    /** Left behind by an interrupted delete, compaction or atomic write: safe to remove at start-up. */
    static final String[] STRAY_SUFFIXES = {".deleted", ".cleaned", ".tmp"};

    private LogFiles() {
    }

    /** The offset in a name like {@code 00000000000000000042.log}, or -1 if the name is not of that form. */
    static long offsetOf(String fileName, String suffix) {
        if (!fileName.endsWith(suffix) || fileName.length() != 20 + suffix.length()) return -1;
        for (int i = 0; i < 20; i++) {
            char c = fileName.charAt(i);
            if (c < '0' || c > '9') return -1;
        }
        try {
            return Long.parseLong(fileName, 0, 20, 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static boolean isStray(String fileName) {
        for (String suffix : STRAY_SUFFIXES) {
            if (fileName.endsWith(suffix)) return true;
        }
        return false;
    }
}
