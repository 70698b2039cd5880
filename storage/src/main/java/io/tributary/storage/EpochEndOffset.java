package io.tributary.storage;

/**
 * The answer to an OffsetsForLeaderEpoch question about this log (see {@link PartitionLog#endOffsetForEpoch}):
 * the largest leader epoch at or below the one asked about, and the offset where it ended here (the start of the
 * next higher epoch, or the log end for the latest epoch). Both are -1 when the log cannot say.
 */
public record EpochEndOffset(int epoch, long endOffset) {
    public static final int UNDEFINED_EPOCH = -1;
    public static final long UNDEFINED_EPOCH_OFFSET = -1L;
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET);

    public boolean isUndefined() {
        return epoch == UNDEFINED_EPOCH && endOffset == UNDEFINED_EPOCH_OFFSET;
    }
}
