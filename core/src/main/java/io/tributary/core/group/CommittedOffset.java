package io.tributary.core.group;

/**
 * A committed position of a group in one partition.
 *
 * @param leaderEpoch       the leader epoch of the record before the offset, or -1
 * @param metadata          free text the committer attached (never null; empty when none)
 * @param commitTimestampMs when the commit was written
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestampMs) {

    public CommittedOffset {
        metadata = metadata == null ? "" : metadata;
    }
}
