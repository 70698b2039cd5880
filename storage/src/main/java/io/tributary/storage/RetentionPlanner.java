package io.tributary.storage;

/**
 * Decides which whole segments retention and DeleteRecords remove (Kafka's deleteOldSegments), oldest first,
 * without touching anything: the log applies the decision.
 */
final class RetentionPlanner {
    /** Remove the first {@code count} segments, for {@code reason}; count 0 means nothing goes. */
    record Decision(int count, String reason) {
        static final Decision NONE = new Decision(0, null);
    }

    private RetentionPlanner() {
    }

    /**
     * Segments go while they are (with cleanup.policy=delete) older than retention.ms by their newest record, or
     * while the log would still be at least retention.bytes without them, or (any policy) once they lie wholly
     * below the log start offset. The active segment may qualify only if it holds data (the caller rolls it
     * first); sealed ones, even empty, may go.
     */
    static Decision retention(SegmentList segments, CleanupConfig c, long logStartOffset, long nowMs) {
        int n = whollyBelow(segments, logStartOffset);
        String reason = n > 0 ? "below the log start offset" : null;
        int candidates = segments.last().isEmpty() ? segments.size() - 1 : segments.size();
        if (c.delete() && c.retentionMs() >= 0) {
            while (n < candidates && nowMs - segments.get(n).largestTimestamp() > c.retentionMs()) {
                n++;
                reason = "retention.ms " + c.retentionMs() + " exceeded";
            }
        }
        if (c.delete() && c.retentionBytes() >= 0) {
            long excess = -c.retentionBytes();
            for (LogSegment s : segments) excess += s.size();
            for (int i = 0; i < n; i++) excess -= segments.get(i).size();
            while (n < candidates && excess - segments.get(n).size() >= 0) {
                excess -= segments.get(n).size();
                n++;
                reason = "retention.bytes " + c.retentionBytes() + " exceeded";
            }
        }
        return n == 0 ? Decision.NONE : new Decision(n, reason);
    }

    /** How many leading segments hold only offsets below {@code offset}; the active segment never counts. */
    static int whollyBelow(SegmentList segments, long offset) {
        int n = 0;
        while (n < segments.size() - 1 && segments.get(n + 1).baseOffset() <= offset) n++;
        return n;
    }
}
