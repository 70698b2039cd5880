package io.tributary.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.tributary.storage.LogTestSupport.MutableClock;
import static io.tributary.storage.LogTestSupport.T0;
import static io.tributary.storage.LogTestSupport.batch;
import static io.tributary.storage.LogTestSupport.concat;
import static io.tributary.storage.LogTestSupport.idempotent;
import static io.tributary.storage.LogTestSupport.smallConfig;
import static io.tributary.storage.LogTestSupport.transactional;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The storage side of replication: leader epochs (the leader-epoch-checkpoint and OffsetsForLeaderEpoch answers),
 * a follower copying the leader's batches as they are, truncating a divergent tail, and the high watermark.
 */
class ReplicationTest {
    static final long P = 4242L;
    static final long Q = 5353L;

    @TempDir
    Path tmp;
    MutableClock clock = new MutableClock(T0);

    private PartitionLog open(String name) throws Exception {
        return PartitionLog.open(tmp.resolve(name), smallConfig(), clock);
    }

    /** Epoch 0: offsets 0-4, epoch 3: 5-9 (with an idempotent producer), epoch 5: 10-14. */
    private static void appendThreeEpochs(PartitionLog leader) throws Exception {
        leader.append(batch(T0, 3), 0);
        leader.append(batch(T0, 2), 0);
        leader.append(idempotent(P, 0, 0, 2), 3);
        leader.append(batch(T0 + 1, 3), 3);
        leader.append(idempotent(P, 0, 2, 4), 5);
        leader.append(batch(T0 + 2, 1), 5);
    }

    /** Copies what the follower lacks, fetch by fetch, as a replica fetcher would. */
    private static void replicate(PartitionLog leader, PartitionLog follower) throws Exception {
        while (follower.logEndOffset() < leader.logEndOffset()) {
            ReadResult fetched = leader.read(follower.logEndOffset(), 700, true);
            follower.appendAsFollower(fetched.records());
        }
    }

    private static byte[] allBytes(PartitionLog log) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            ByteBuffer records = log.read(offset, 1 << 20, true).records();
            byte[] bytes = new byte[records.remaining()];
            records.duplicate().get(bytes);
            out.write(bytes);
            int last = 0;
            for (int at = 0; at < records.limit(); at += BatchLayout.size(records, at)) last = at;
            offset = BatchLayout.lastOffset(records, last) + 1;
        }
        return out.toByteArray();
    }

    private static void assertSameEpochs(PartitionLog a, PartitionLog b) {
        assertThat(b.latestEpoch()).isEqualTo(a.latestEpoch());
        for (int epoch = -1; epoch <= 7; epoch++) {
            assertThat(b.endOffsetForEpoch(epoch)).as("epoch %d", epoch).isEqualTo(a.endOffsetForEpoch(epoch));
        }
    }

    @Test
    void aFollowerCopiesTheLeadersBatchesByteForByte() throws Exception {
        try (PartitionLog leader = open("leader"); PartitionLog follower = open("follower")) {
            appendThreeEpochs(leader);
            // Enough to roll segments on both sides.
            for (int i = 0; i < 6; i++) leader.append(batch(T0 + 2, 3, 500), 5);
            replicate(leader, follower);

            assertThat(follower.logEndOffset()).isEqualTo(33);
            assertThat(allBytes(follower)).isEqualTo(allBytes(leader));
            assertThat(follower.segmentCount()).isGreaterThan(1);
            assertThat(follower.latestEpoch()).isEqualTo(5);
            assertSameEpochs(leader, follower);
            assertThat(follower.activeProducers()).isEqualTo(leader.activeProducers());
            // The follower may take over: the idempotent producer's next batch continues, a resend is a duplicate.
            assertThat(follower.append(idempotent(P, 0, 2, 4), 7).duplicate()).isTrue();
            assertThat(follower.append(idempotent(P, 0, 6, 1), 7).baseOffset()).isEqualTo(33);
            assertThat(follower.latestEpoch()).isEqualTo(7);
            assertThat(follower.endOffsetForEpoch(5)).isEqualTo(new EpochEndOffset(5, 33));
            // Timestamps and offsets stay the leader's: the time index finds the same batch.
            assertThat(follower.firstBatchWithMaxTimestampAtLeast(T0 + 2).orElseThrow().baseOffset())
                    .isEqualTo(leader.firstBatchWithMaxTimestampAtLeast(T0 + 2).orElseThrow().baseOffset());
        }
    }

    @Test
    void endOffsetForEpochAnswersLikeOffsetsForLeaderEpoch() throws Exception {
        try (PartitionLog log = open("log")) {
            assertThat(log.latestEpoch()).isEqualTo(-1);
            assertThat(log.endOffsetForEpoch(0)).isEqualTo(EpochEndOffset.UNDEFINED);
            log.append(batch(T0, 2), 2);
            log.append(batch(T0, 2), 2);
            log.append(batch(T0, 3), 3);
            log.append(batch(T0, 1), 5);
            log.append(batch(T0, 1), 5);

            assertThat(log.latestEpoch()).isEqualTo(5);
            assertThat(log.endOffsetForEpoch(5)).as("latest").isEqualTo(new EpochEndOffset(5, 9));
            assertThat(log.endOffsetForEpoch(3)).as("middle").isEqualTo(new EpochEndOffset(3, 7));
            assertThat(log.endOffsetForEpoch(2)).as("first").isEqualTo(new EpochEndOffset(2, 4));
            assertThat(log.endOffsetForEpoch(4)).as("gap").isEqualTo(new EpochEndOffset(3, 7));
            assertThat(log.endOffsetForEpoch(1)).as("below the first").isEqualTo(new EpochEndOffset(1, 0));
            assertThat(log.endOffsetForEpoch(6)).as("above the latest").isEqualTo(EpochEndOffset.UNDEFINED);
            assertThat(log.endOffsetForEpoch(-1)).isEqualTo(EpochEndOffset.UNDEFINED);
            // An older epoch passed by a stale caller does not add an entry.
            log.append(batch(T0, 1), 4);
            assertThat(log.latestEpoch()).isEqualTo(5);
            assertThat(log.endOffsetForEpoch(5)).isEqualTo(new EpochEndOffset(5, 10));
        }
    }

    @Test
    void aNewLeadershipStartsItsEpochAtTheLogEndBeforeAnyAppend() throws Exception {
        try (PartitionLog log = open("log")) {
            appendThreeEpochs(log);
            log.assignLeaderEpoch(7);
            assertThat(log.latestEpoch()).isEqualTo(7);
            // A follower whose tail is in epoch 6 (an unreplicated leadership of its own) is told where 5 ends.
            assertThat(log.endOffsetForEpoch(6)).isEqualTo(new EpochEndOffset(5, 15));
            assertThat(log.endOffsetForEpoch(7)).isEqualTo(new EpochEndOffset(7, 15));
            log.assignLeaderEpoch(6);
            assertThat(log.latestEpoch()).as("an older epoch is ignored").isEqualTo(7);
            log.append(batch(T0, 2), 7);
            assertThat(log.endOffsetForEpoch(5)).isEqualTo(new EpochEndOffset(5, 15));
            assertThat(log.endOffsetForEpoch(7)).isEqualTo(new EpochEndOffset(7, 17));
        }
    }

    @Test
    void truncatingAtTheLogEndDropsAnEpochThatNeverAppended() throws Exception {
        try (PartitionLog log = open("log")) {
            appendThreeEpochs(log);
            log.assignLeaderEpoch(7);
            // Leadership lost before any append: as follower the epoch must go, or it diverges on every fetch.
            log.truncateTo(15);
            assertThat(log.latestEpoch()).isEqualTo(5);
            assertThat(log.logEndOffset()).isEqualTo(15);
            assertThat(log.endOffsetForEpoch(5)).isEqualTo(new EpochEndOffset(5, 15));
        }
    }

    @Test
    void markersStartEpochsToo() throws Exception {
        try (PartitionLog log = open("log")) {
            log.append(transactional(P, 0, 0, 2), 1);
            log.appendMarker(P, (short) 0, true, 0, 2);
            assertThat(log.latestEpoch()).isEqualTo(2);
            assertThat(log.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(1, 2));
        }
    }

    @Test
    void aDivergentFollowerTailIsTruncatedAtTheLeadersEpochEnd() throws Exception {
        try (PartitionLog oldLeader = open("old"); PartitionLog follower = open("follower")) {
            // Both hold epochs 0 and 3 up to offset 7.
            oldLeader.append(batch(T0, 3), 0);
            oldLeader.append(batch(T0, 2), 0);
            oldLeader.append(batch(T0, 3), 3);
            replicate(oldLeader, follower);
            // The follower, briefly leader in epoch 3, took writes nobody else got: a transaction it aborted,
            // one still open, and producer state.
            follower.append(transactional(Q, 0, 0, 2), 3);
            follower.appendMarker(Q, (short) 0, false, 0, 3);
            follower.append(idempotent(P, 0, 0, 2), 3);
            follower.append(transactional(P + 1, 0, 0, 1), 3);
            assertThat(follower.abortedTransactions(0, 100)).hasSize(1);
            assertThat(follower.lastStableOffset()).isEqualTo(13);
            // The old leader moves on in epoch 5, writing other batches at those offsets.
            oldLeader.append(batch(T0, 4), 5);
            oldLeader.append(idempotent(P, 0, 0, 1), 5);

            EpochEndOffset divergence = oldLeader.endOffsetForEpoch(follower.latestEpoch());
            assertThat(divergence).isEqualTo(new EpochEndOffset(3, 8));
            follower.truncateTo(Math.min(divergence.endOffset(), follower.logEndOffset()));
            assertThat(follower.logEndOffset()).isEqualTo(8);
            assertThat(follower.latestEpoch()).isEqualTo(3);
            assertThat(follower.abortedTransactions(0, 100)).isEmpty();
            assertThat(follower.lastStableOffset()).isEqualTo(8);
            assertThat(follower.activeProducers()).isEmpty();

            replicate(oldLeader, follower);
            assertThat(allBytes(follower)).isEqualTo(allBytes(oldLeader));
            assertSameEpochs(oldLeader, follower);
            assertThat(follower.activeProducers()).isEqualTo(oldLeader.activeProducers());
            assertThat(follower.lastStableOffset()).isEqualTo(oldLeader.lastStableOffset());
        }
    }

    @Test
    void theEpochCacheSurvivesRestartsCrashesAndTruncation() throws Exception {
        Path dir = tmp.resolve("log");
        PartitionLog log = PartitionLog.open(dir, smallConfig(), clock);
        appendThreeEpochs(log);
        log.close();
        assertThat(Files.readString(dir.resolve("leader-epoch-checkpoint"))).isEqualTo("0\n3\n0 0\n3 5\n5 10\n");

        log = PartitionLog.open(dir, smallConfig(), clock);
        assertThat(log.endOffsetForEpoch(3)).isEqualTo(new EpochEndOffset(3, 10));
        log.append(batch(T0, 1), 6);
        log.closeUncleanly();

        log = PartitionLog.open(dir, smallConfig(), clock);
        assertThat(log.loadResult().cleanShutdown()).isFalse();
        assertThat(log.latestEpoch()).isEqualTo(6);
        assertThat(log.endOffsetForEpoch(5)).isEqualTo(new EpochEndOffset(5, 15));
        log.truncateTo(14);
        assertThat(log.latestEpoch()).isEqualTo(5);
        // The batch holding 9 starts at 7 and goes whole.
        log.truncateTo(9);
        assertThat(log.logEndOffset()).isEqualTo(7);
        assertThat(log.latestEpoch()).isEqualTo(3);
        assertThat(log.endOffsetForEpoch(3)).isEqualTo(new EpochEndOffset(3, 7));
        log.closeUncleanly();

        log = PartitionLog.open(dir, smallConfig(), clock);
        try {
            assertThat(log.latestEpoch()).isEqualTo(3);
            assertThat(log.endOffsetForEpoch(0)).isEqualTo(new EpochEndOffset(0, 5));
            assertThat(Files.readString(dir.resolve("leader-epoch-checkpoint"))).isEqualTo("0\n2\n0 0\n3 5\n");
        } finally {
            log.close();
        }
    }

    @Test
    void aMissingOrInconsistentEpochCheckpointIsRebuiltFromTheBatches() throws Exception {
        Path dir = tmp.resolve("log");
        PartitionLog log = PartitionLog.open(dir, smallConfig(), clock);
        appendThreeEpochs(log);
        log.close();
        Path file = dir.resolve("leader-epoch-checkpoint");
        String expected = Files.readString(file);

        Files.delete(file);
        log = PartitionLog.open(dir, smallConfig(), clock);
        assertThat(log.endOffsetForEpoch(3)).isEqualTo(new EpochEndOffset(3, 10));
        log.close();
        assertThat(Files.readString(file)).isEqualTo(expected);

        Files.writeString(file, "0\n3\n0 0\n5 10\n3 5\n", StandardCharsets.UTF_8);
        log = PartitionLog.open(dir, smallConfig(), clock);
        assertThat(log.endOffsetForEpoch(3)).isEqualTo(new EpochEndOffset(3, 10));
        log.closeUncleanly();
        assertThat(Files.readString(file)).isEqualTo(expected);

        Files.writeString(file, "garbage", StandardCharsets.UTF_8);
        try (PartitionLog reopened = PartitionLog.open(dir, smallConfig(), clock)) {
            assertThat(reopened.latestEpoch()).isEqualTo(5);
            assertThat(reopened.endOffsetForEpoch(0)).isEqualTo(new EpochEndOffset(0, 5));
        }
    }

    @Test
    void entriesPastTheRecoveredLogEndAreDropped() throws Exception {
        Path dir = tmp.resolve("log");
        PartitionLog log = PartitionLog.open(dir, smallConfig(), clock);
        appendThreeEpochs(log);
        log.closeUncleanly();
        // An epoch recorded for data a crash lost: the checkpoint is ahead of the log.
        Files.writeString(dir.resolve("leader-epoch-checkpoint"), "0\n4\n0 0\n3 5\n5 10\n8 15\n");
        try (PartitionLog reopened = PartitionLog.open(dir, smallConfig(), clock)) {
            assertThat(reopened.latestEpoch()).isEqualTo(5);
        }
    }

    @Test
    void movingTheLogStartCutsEpochsFromTheStart() throws Exception {
        Path dir = tmp.resolve("log");
        PartitionLog log = PartitionLog.open(dir, smallConfig(), clock);
        appendThreeEpochs(log);
        log.advanceLogStartOffset(7);
        assertThat(log.endOffsetForEpoch(0)).as("epoch 0 is gone").isEqualTo(new EpochEndOffset(0, 7));
        assertThat(log.endOffsetForEpoch(3)).isEqualTo(new EpochEndOffset(3, 10));
        log.advanceLogStartOffset(10);
        assertThat(log.endOffsetForEpoch(3)).isEqualTo(new EpochEndOffset(3, 10));
        assertThat(log.endOffsetForEpoch(5)).isEqualTo(new EpochEndOffset(5, 15));
        log.closeUncleanly();
        assertThat(Files.readString(dir.resolve("leader-epoch-checkpoint"))).isEqualTo("0\n1\n5 10\n");
        try (PartitionLog reopened = PartitionLog.open(dir, smallConfig(), clock)) {
            assertThat(reopened.latestEpoch()).isEqualTo(5);
            assertThat(reopened.endOffsetForEpoch(4)).isEqualTo(new EpochEndOffset(4, 10));
        }
    }

    @Test
    void aFollowerBelowTheLeadersLogStartRestartsThere() throws Exception {
        try (PartitionLog leader = open("leader"); PartitionLog follower = open("follower")) {
            appendThreeEpochs(leader);
            follower.append(batch(T0, 2), 1);
            follower.updateHighWatermark(2);
            leader.advanceLogStartOffset(10);

            follower.truncateFullyAndStartAt(leader.logStartOffset());
            assertThat(follower.logStartOffset()).isEqualTo(10);
            assertThat(follower.logEndOffset()).isEqualTo(10);
            assertThat(follower.latestEpoch()).isEqualTo(-1);
            assertThat(follower.highWatermark()).isEqualTo(10);
            replicate(leader, follower);
            assertThat(allBytes(follower)).isEqualTo(allBytes(leader));
            assertThat(follower.endOffsetForEpoch(5)).isEqualTo(new EpochEndOffset(5, 15));
        }
    }

    @Test
    void appendAsFollowerRejectsWhatOverlapsTheLogAndLeavesItUnchanged() throws Exception {
        try (PartitionLog leader = open("leader"); PartitionLog follower = open("follower")) {
            appendThreeEpochs(leader);
            ByteBuffer all = leader.read(0, 1 << 20, true).records();
            int firstThree = 0;
            for (int i = 0; i < 3; i++) firstThree += BatchLayout.size(all, firstThree);
            follower.appendAsFollower(all.duplicate().limit(firstThree));
            long end = follower.logEndOffset();
            byte[] before = allBytes(follower);
            int epoch = follower.latestEpoch();

            ByteBuffer next = copy(leader.read(end, 1 << 20, true).records());
            // Contiguous first batch, then the same batch again: it overlaps.
            ByteBuffer firstOnly = next.duplicate().limit(BatchLayout.size(next, 0)).slice();
            assertRejected(follower, concat(firstOnly, copy(firstOnly)), LogError.OFFSET_OUT_OF_RANGE);
            // A batch already held (a stale fetch).
            assertRejected(follower, copy(leader.read(0, 1 << 20, true).records()), LogError.OFFSET_OUT_OF_RANGE);
            // A flipped bit under the CRC.
            ByteBuffer corrupt = copy(next);
            corrupt.put(BatchLayout.HEADER_SIZE + 3, (byte) (corrupt.get(BatchLayout.HEADER_SIZE + 3) ^ 1));
            assertRejected(follower, corrupt, LogError.CORRUPT_MESSAGE);
            assertRejected(follower, ByteBuffer.allocate(0), LogError.INVALID_RECORD);

            assertThat(follower.logEndOffset()).isEqualTo(end);
            assertThat(allBytes(follower)).isEqualTo(before);
            assertThat(follower.latestEpoch()).isEqualTo(epoch);
            replicate(leader, follower);
            assertThat(allBytes(follower)).isEqualTo(allBytes(leader));
        }
    }

    @Test
    void appendAsFollowerAcceptsTheGapsCompactionLeavesOnTheLeader() throws Exception {
        try (PartitionLog leader = open("leader"); PartitionLog follower = open("follower")) {
            appendThreeEpochs(leader);
            ByteBuffer all = leader.read(0, 1 << 20, true).records();
            ByteBuffer first = copy(all.duplicate().limit(BatchLayout.size(all, 0)).slice());
            follower.appendAsFollower(first);
            long end = follower.logEndOffset();
            // The next batch the leader still has starts five offsets later: the ones between were cleaned away.
            ByteBuffer later = copy(first);
            later.putLong(0, end + 5);
            follower.appendAsFollower(later);
            assertThat(follower.logEndOffset()).isEqualTo(end + 5 + BatchLayout.lastOffsetDelta(later, 0) + 1);
        }
    }

    private static void assertRejected(PartitionLog log, ByteBuffer records, LogError error) {
        assertThatThrownBy(() -> log.appendAsFollower(records))
                .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate()).flip();
        return c;
    }

    @Test
    void replicatedTransactionsGiveTheSameStableOffsetAndAborts() throws Exception {
        Path followerDir = tmp.resolve("follower");
        try (PartitionLog leader = open("leader")) {
            PartitionLog follower = PartitionLog.open(followerDir, smallConfig(), clock);
            leader.append(batch(T0, 2), 1);
            leader.append(transactional(P, 0, 0, 3), 1);
            leader.append(transactional(Q, 0, 0, 2), 1);
            leader.appendMarker(P, (short) 0, false, 0, 1);
            leader.append(transactional(P, 0, 3, 1), 2);
            leader.appendMarker(Q, (short) 0, true, 0, 2);
            leader.append(batch(T0, 1), 2);
            replicate(leader, follower);

            assertThat(leader.lastStableOffset()).as("P's second transaction is open").isEqualTo(8);
            assertThat(follower.lastStableOffset()).isEqualTo(leader.lastStableOffset());
            assertThat(follower.abortedTransactions(0, 100)).isEqualTo(leader.abortedTransactions(0, 100))
                    .hasSize(1);
            assertThat(follower.hasOngoingTransaction(P, (short) 0)).isTrue();
            assertThat(follower.activeProducers()).isEqualTo(leader.activeProducers());

            leader.appendMarker(P, (short) 0, false, 0, 2);
            replicate(leader, follower);
            assertThat(follower.lastStableOffset()).isEqualTo(leader.lastStableOffset()).isEqualTo(12);
            assertThat(follower.abortedTransactions(0, 100)).isEqualTo(leader.abortedTransactions(0, 100))
                    .hasSize(2);
            follower.closeUncleanly();

            follower = PartitionLog.open(followerDir, smallConfig(), clock);
            try {
                assertThat(follower.lastStableOffset()).isEqualTo(12);
                assertThat(follower.abortedTransactions(0, 100)).isEqualTo(leader.abortedTransactions(0, 100));
                assertSameEpochs(leader, follower);
            } finally {
                follower.close();
            }
        }
    }

    @Test
    void theHighWatermarkIsClampedPersistedAndLoweredByTruncation() throws Exception {
        Path dir = tmp.resolve("log");
        PartitionLog log = PartitionLog.open(dir, smallConfig(), clock);
        assertThat(log.highWatermark()).isZero();
        appendThreeEpochs(log);
        assertThat(log.highWatermark()).as("storage does not move it by itself").isZero();
        log.updateHighWatermark(100);
        assertThat(log.highWatermark()).isEqualTo(15);
        log.updateHighWatermark(12);
        log.close();
        assertThat(Files.readString(dir.resolve("highwatermark-checkpoint"))).isEqualTo("0\n12\n");

        log = PartitionLog.open(dir, smallConfig(), clock);
        assertThat(log.highWatermark()).isEqualTo(12);
        // Reads are not bounded by it.
        assertThat(log.read(12, 1 << 20, true).records().remaining()).isPositive();
        log.updateHighWatermark(14);
        log.flush();
        log.closeUncleanly();

        log = PartitionLog.open(dir, smallConfig(), clock);
        assertThat(log.highWatermark()).isEqualTo(14);
        log.truncateTo(11);
        assertThat(log.highWatermark()).isEqualTo(10);
        log.advanceLogStartOffset(10);
        log.updateHighWatermark(3);
        assertThat(log.highWatermark()).isEqualTo(10);
        log.close();

        // A checkpoint ahead of the log (its tail lost) is clamped at open.
        Files.writeString(dir.resolve("highwatermark-checkpoint"), "0\n99\n");
        try (PartitionLog reopened = PartitionLog.open(dir, smallConfig(), clock)) {
            assertThat(reopened.highWatermark()).isEqualTo(10);
        }
    }

    @Test
    void advancingTheLogStartRaisesTheHighWatermark() throws Exception {
        try (PartitionLog log = open("log")) {
            appendThreeEpochs(log);
            log.updateHighWatermark(4);
            log.advanceLogStartOffset(7);
            assertThat(log.highWatermark()).isEqualTo(7);
        }
    }

    @Test
    void anEpochRecordedForAnAppendThatFailedToWriteIsForgotten() throws Exception {
        try (PartitionLog leader = open("leader")) {
            appendThreeEpochs(leader);
            PartitionLog follower = open("follower");
            follower.appendAsFollower(leader.read(0, 1 << 20, true).records().duplicate().limit(
                    BatchLayout.size(leader.read(0, 1 << 20, true).records(), 0)));
            leader.append(batch(T0, 1), 9);
            ByteBuffer tail = copy(leader.read(3, 1 << 20, true).records());
            // The active segment's file is gone from under the log: the write fails.
            follower.segments().last().close();
            assertThatThrownBy(() -> follower.appendAsFollower(tail)).isInstanceOfSatisfying(LogException.class,
                    e -> assertThat(e.error()).isEqualTo(LogError.STORAGE_ERROR));
            assertThatThrownBy(() -> follower.append(batch(T0, 1), 4)).isInstanceOf(LogException.class);
            assertThat(follower.logEndOffset()).isEqualTo(3);
            assertThat(follower.latestEpoch()).isZero();
            assertThat(Files.readString(tmp.resolve("follower").resolve("leader-epoch-checkpoint")))
                    .isEqualTo("0\n1\n0 0\n");
            follower.closeUncleanly();
        }
    }

    @Test
    void truncatingFromTheStartKeepsTheEpochInForceThere() throws Exception {
        Path dir = tmp.resolve("cache");
        Files.createDirectories(dir);
        LeaderEpochCache cache = LeaderEpochCache.empty(dir);
        cache.assign(1, 0);
        cache.assign(2, 10);
        cache.assign(4, 20);
        assertThat(cache.truncateFromStart(0)).isFalse();
        assertThat(cache.truncateFromStart(10)).isTrue();
        assertThat(cache.entries()).containsExactly(new LeaderEpochCache.Entry(2, 10), new LeaderEpochCache.Entry(4, 20));
        cache.truncateFromStart(15);
        assertThat(cache.entries()).containsExactly(new LeaderEpochCache.Entry(2, 15), new LeaderEpochCache.Entry(4, 20));
        cache.truncateFromStart(30);
        assertThat(cache.entries()).containsExactly(new LeaderEpochCache.Entry(4, 30));
        assertThat(cache.endOffsetFor(4, 42)).isEqualTo(new EpochEndOffset(4, 42));
        // An entry left at or past the new start by a failed append makes way for the new epoch.
        cache.assign(6, 30);
        assertThat(cache.entries()).containsExactly(new LeaderEpochCache.Entry(6, 30));
        assertThat(cache.assign(5, 40)).as("older than the latest").isFalse();
        cache.clear();
        assertThat(cache.latestEpoch()).isEqualTo(-1);
        assertThat(LeaderEpochCache.read(dir).entries()).isEmpty();
    }
}
