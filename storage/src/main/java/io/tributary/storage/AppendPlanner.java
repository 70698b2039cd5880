package io.tributary.storage;

import io.tributary.storage.ProducerStateEntry.BatchMetadata;

import java.nio.ByteBuffer;

import static io.tributary.storage.BatchLayout.*;

/**
 * The check-and-plan half of an append, before anything is written: validates every batch, works out the offsets
 * it will take and the timestamps the indexes need, and for a leader append stages the producer state changes
 * (and spots an idempotent producer's duplicate) and edits offsets, leader epoch and LogAppendTime in place.
 * Owner only; one per log, reusing its validator's CRC.
 */
final class AppendPlanner {
    /**
     * An append that passed its checks: the batches in {@code [start, end)} take offsets {@code baseOffset} to
     * {@code nextOffset - 1}; {@code duplicate} is set (and nothing else matters) if an idempotent producer resent
     * a batch already in the log.
     */
    record Plan(int start, int end, long baseOffset, long nextOffset, long maxTimestamp, long offsetOfMaxTimestamp,
                int recordCount, BatchMetadata duplicate) {
    }

    private final ProducerStateManager producers;
    private BatchValidator validator;

    AppendPlanner(ProducerStateManager producers, int maxMessageBytes) {
        this.producers = producers;
        this.validator = new BatchValidator(maxMessageBytes);
    }

    void maxMessageBytes(int maxMessageBytes) {
        validator = new BatchValidator(maxMessageBytes);
    }

    /**
     * A producer's batches, to go at {@code logEndOffset}: validates them and stages their producer state (left
     * pending for the caller to commit or discard; discarded here on failure or a duplicate). With
     * {@code trusted} (a coordinator writing for a producer) sequence numbers are not checked.
     */
    Plan planLeader(ByteBuffer buf, long logEndOffset, long appendTime, boolean trusted) throws LogException {
        int start = buf.position();
        int end = requireBatches(buf);
        long nextOffset = logEndOffset;
        long maxTimestamp = NO_TIMESTAMP;
        long offsetOfMaxTimestamp = -1;
        int recordCount = 0;
        try {
            for (int at = start; at < end; ) {
                int size = validator.validate(buf, at, end);
                int delta = lastOffsetDelta(buf, at);
                long last = nextOffset + delta;
                long batchMaxTimestamp = appendTime != NO_TIMESTAMP ? appendTime : BatchLayout.maxTimestamp(buf, at);
                long producerId = producerId(buf, at);
                if (producerId > NO_PRODUCER_ID) {
                    int firstSeq = baseSequence(buf, at);
                    BatchMetadata duplicate = producers.checkAndStage(producerId, producerEpoch(buf, at), firstSeq,
                            lastSequence(firstSeq, delta), nextOffset, last, batchMaxTimestamp, isTransactional(buf, at),
                            trusted);
                    if (duplicate != null) {
                        producers.discardPending();
                        return new Plan(start, end, logEndOffset, logEndOffset, NO_TIMESTAMP, -1, 0, duplicate);
                    }
                }
                if (batchMaxTimestamp > maxTimestamp) {
                    maxTimestamp = batchMaxTimestamp;
                    offsetOfMaxTimestamp = last;
                }
                recordCount += delta + 1;
                nextOffset = last + 1;
                at += size;
            }
        } catch (LogException e) {
            producers.discardPending();
            throw e;
        }
        return new Plan(start, end, logEndOffset, nextOffset, maxTimestamp, offsetOfMaxTimestamp, recordCount, null);
    }

    /**
     * Base offsets and leader epoch are outside the CRC; LogAppendTime rewrites maxTimestamp and so the CRC.
     * Edits the batches of a {@link #planLeader leader plan} in place.
     */
    void assignOffsets(ByteBuffer buf, Plan plan, int leaderEpoch, long appendTime) {
        long offset = plan.baseOffset();
        for (int at = plan.start(); at < plan.end(); ) {
            int size = BatchLayout.size(buf, at);
            buf.putLong(at + BASE_OFFSET, offset);
            buf.putInt(at + PARTITION_LEADER_EPOCH, leaderEpoch);
            if (appendTime != NO_TIMESTAMP) stampLogAppendTime(validator.crc(), buf, at, size, appendTime);
            offset += lastOffsetDelta(buf, at) + 1L;
            at += size;
        }
    }

    /**
     * Batches copied from the leader's log, which keep their offsets: each must be valid (control batches
     * included) and start at or after the end of what precedes it. Gaps are allowed: compaction on the leader
     * removes whole batches, so a follower catching up on a compacted log sees offsets jump.
     */
    Plan planFollower(ByteBuffer buf, long logEndOffset) throws LogException {
        int start = buf.position();
        int end = requireBatches(buf);
        long nextOffset = logEndOffset;
        long maxTimestamp = NO_TIMESTAMP;
        long offsetOfMaxTimestamp = -1;
        int recordCount = 0;
        for (int at = start; at < end; ) {
            int size = validator.validate(buf, at, end, true);
            long base = BatchLayout.baseOffset(buf, at);
            if (base < nextOffset) {
                throw new LogException(LogError.OFFSET_OUT_OF_RANGE, at == start
                        ? "replicated batches start at offset " + base + " but the log already ends at " + nextOffset
                        : "replicated batch at offset " + base + " overlaps the previous one, which ends at "
                        + (nextOffset - 1));
            }
            long last = BatchLayout.lastOffset(buf, at);
            long batchMaxTimestamp = BatchLayout.maxTimestamp(buf, at);
            if (batchMaxTimestamp > maxTimestamp) {
                maxTimestamp = batchMaxTimestamp;
                offsetOfMaxTimestamp = last;
            }
            recordCount += lastOffsetDelta(buf, at) + 1;
            nextOffset = last + 1;
            at += size;
        }
        return new Plan(start, end, logEndOffset, nextOffset, maxTimestamp, offsetOfMaxTimestamp, recordCount, null);
    }

    private static int requireBatches(ByteBuffer buf) throws LogException {
        if (!buf.hasRemaining()) throw new LogException(LogError.INVALID_RECORD, "the append holds no record batches");
        return buf.limit();
    }

    static ByteBuffer writableCopy(ByteBuffer readOnly) {
        ByteBuffer copy = ByteBuffer.allocate(readOnly.remaining());
        copy.put(readOnly.duplicate()).flip();
        return copy;
    }
}
