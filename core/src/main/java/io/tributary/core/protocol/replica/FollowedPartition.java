package io.tributary.core.protocol.replica;

import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.partition.Partition;
import io.tributary.storage.EpochEndOffset;
import io.vertx.core.Future;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition a {@link ReplicaFetcher} follows: where its next fetch starts (offset and the epoch of the last
 * fetched batch, KIP-320) and how each answer of the leader is applied to it, on the partition's own context:
 * records appended as they are, a diverging epoch truncates the local tail, an offset the leader cannot serve falls
 * back to its log start or high watermark, the leader's high watermark is taken over. Says once when the partition
 * stops moving below the leader's high watermark, which is what drops a follower from the ISR.
 */
final class FollowedPartition {

    private static final Logger LOG = LoggerFactory.getLogger(FollowedPartition.class);
    private static final long STALL_MS = 5_000;

    private final Partition partition;
    private final int leaderId;
    private long fetchOffset;
    private int lastFetchedEpoch;
    /** The last error the leader answered for this partition, logged once when it changes. */
    private Errors lastError = Errors.NONE;
    /** Progress watch: the fetch offset last seen, since when, and whether its stall was reported. */
    private long watchedOffset = -1;
    private long watchedSinceMs;
    private boolean stallReported;

    FollowedPartition(Partition partition, int leaderId, long fetchOffset, int lastFetchedEpoch) {
        this.partition = partition;
        this.leaderId = leaderId;
        this.fetchOffset = fetchOffset;
        this.lastFetchedEpoch = lastFetchedEpoch;
    }

    Partition partition() {
        return partition;
    }

    long fetchOffset() {
        return fetchOffset;
    }

    int lastFetchedEpoch() {
        return lastFetchedEpoch;
    }

    /** Applies the leader's answer for this partition; true to fetch again at once, false to back off. */
    Future<Boolean> apply(FetchResponseData.PartitionData data) {
        Errors error = Errors.forCode(data.errorCode());
        Future<Boolean> done = ContextHop.compose(partition.owner(), () -> {
            if (partition.isClosed() || partition.isLeader()) {
                return Future.succeededFuture(true);
            }
            if (error == Errors.OFFSET_OUT_OF_RANGE) {
                return outOfRange(data);
            }
            if (error != Errors.NONE) {
                if (error != lastError) {
                    LOG.info("{}: fetch from leader {} answered {}", partition.topicPartition(), leaderId, error);
                }
                lastError = error;
                return Future.succeededFuture(false);
            }
            lastError = Errors.NONE;
            // The field is never null: (-1, -1), its default, means no divergence.
            FetchResponseData.EpochEndOffset diverging = data.divergingEpoch();
            if (diverging.epoch() >= 0 && diverging.endOffset() >= 0) {
                return truncateDivergence(diverging);
            }
            MemoryRecords records = (MemoryRecords) data.records();
            if (records != null && records.sizeInBytes() > 0) {
                partition.appendAsFollower(records.buffer());
            }
            partition.followerHighWatermark(data.highWatermark());
            partition.followerLogStartOffset(data.logStartOffset());
            return Future.succeededFuture(true);
        });
        return afterApply(done, data.highWatermark());
    }

    /** The leader's log ends that epoch earlier: everything past where both logs agree goes. Owner only. */
    private Future<Boolean> truncateDivergence(FetchResponseData.EpochEndOffset diverging) {
        EpochEndOffset local = partition.endOffsetForEpoch(diverging.epoch());
        long target = local.epoch() >= 0 ? Math.min(diverging.endOffset(), local.endOffset())
                : Math.min(diverging.endOffset(), partition.logEndOffset());
        LOG.info("{}: diverged from leader {} at epoch {}; truncating to {}", partition.topicPartition(),
                leaderId, diverging.epoch(), target);
        return partition.truncateTo(target).map(v -> true);
    }

    /**
     * The leader cannot serve the fetch offset. Below its log start: restart the log there. Otherwise the tail
     * past the leader's high watermark (which every in-sync replica holds) goes; a fetch offset at or below it is
     * out of range only when the leader cannot place our last epoch, so back off rather than spin, and say so.
     * Owner only.
     */
    private Future<Boolean> outOfRange(FetchResponseData.PartitionData data) {
        if (fetchOffset < data.logStartOffset()) {
            LOG.info("{}: fetch offset {} is below the leader's log start {}; restarting the log there",
                    partition.topicPartition(), fetchOffset, data.logStartOffset());
            lastError = Errors.NONE;
            return partition.truncateFullyAndStartAt(data.logStartOffset()).map(v -> true);
        }
        if (fetchOffset > data.highWatermark()) {
            LOG.info("{}: fetch offset {} is out of range on leader {}; truncating to its high watermark {}",
                    partition.topicPartition(), fetchOffset, leaderId, data.highWatermark());
            lastError = Errors.NONE;
            return partition.truncateTo(data.highWatermark()).map(v -> true);
        }
        if (lastError != Errors.OFFSET_OUT_OF_RANGE) {
            LOG.warn("{}: leader {} cannot place fetch offset {} of epoch {} (its high watermark {}); retrying",
                    partition.topicPartition(), leaderId, fetchOffset, lastFetchedEpoch, data.highWatermark());
        }
        lastError = Errors.OFFSET_OUT_OF_RANGE;
        return Future.succeededFuture(false);
    }

    /** The next fetch starts at the log end as it is now, whatever happened; a failure backs off. */
    private Future<Boolean> afterApply(Future<Boolean> done, long leaderHighWatermark) {
        return done.recover(e -> {
            LOG.warn("{}: could not apply the fetch from leader {}: {}", partition.topicPartition(), leaderId,
                    e.toString());
            return Future.succeededFuture(false);
        }).compose(ok -> ContextHop.call(partition.owner(), () -> {
            if (!partition.isClosed()) {
                fetchOffset = partition.logEndOffset();
                lastFetchedEpoch = partition.latestEpoch();
                watchProgress(leaderHighWatermark, System.currentTimeMillis());
            }
            return ok;
        }));
    }

    private void watchProgress(long leaderHighWatermark, long nowMs) {
        if (fetchOffset != watchedOffset || leaderHighWatermark <= fetchOffset) {
            if (stallReported) {
                LOG.info("{}: moving again at offset {} (leader {})", partition.topicPartition(), fetchOffset,
                        leaderId);
            }
            watchedOffset = fetchOffset;
            watchedSinceMs = nowMs;
            stallReported = false;
        } else if (!stallReported && nowMs - watchedSinceMs > STALL_MS) {
            stallReported = true;
            LOG.warn("{}: stuck at offset {} (last epoch {}) for {} ms below leader {}'s high watermark {}; "
                            + "last error {}", partition.topicPartition(), fetchOffset, lastFetchedEpoch,
                    nowMs - watchedSinceMs, leaderId, leaderHighWatermark, lastError);
        }
    }
}
