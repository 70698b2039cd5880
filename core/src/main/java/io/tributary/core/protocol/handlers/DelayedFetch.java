package io.tributary.core.protocol.handlers;

import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.partition.Partition;
import io.tributary.core.protocol.LogErrors;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.protocol.SegmentRecords;
import io.tributary.storage.AbortedTxn;
import io.tributary.storage.EpochEndOffset;
import io.tributary.storage.ReadResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.AbortedTransaction;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The state of one fetch on its connection's context: read every partition (each on its owner), and
 * either answer or park until an append to one of the partitions or the max_wait timer. Reads are
 * repeated in full on wake-up, which keeps the logic simple and always returns fresh data.
 */
final class DelayedFetch {

    private static final Logger LOG = LoggerFactory.getLogger(DelayedFetch.class);

    private final RequestContext context;
    private final List<FetchTarget> targets;
    private final long maxWaitMs;
    private final int minBytes;
    private final int maxBytes;
    private final boolean readCommitted;
    /** The follower fetching, or -1 for a consumer. */
    private final int replicaId;
    /**
     * Whether records go from segment file to socket without a copy: not on TLS listeners, where the bytes must
     * pass through the SSL engine (SASL_PLAINTEXT only authenticates, so it gets sendfile too).
     */
    private final boolean zeroCopy;
    private final Context home;
    private final Vertx vertx;
    private final Promise<ApiMessage> result = Promise.promise();
    private long timerId = -1;
    private boolean parked;
    private boolean reading;
    private boolean wokenWhileReading;
    private boolean expired;
    private List<PartitionRead> lastReads = List.of();

    DelayedFetch(RequestContext context, List<FetchTarget> targets, long maxWaitMs, int minBytes, int maxBytes,
                 boolean readCommitted, int replicaId) {
        this.readCommitted = readCommitted;
        this.replicaId = replicaId;
        this.context = context;
        this.targets = targets;
        this.maxWaitMs = maxWaitMs;
        this.minBytes = minBytes;
        this.maxBytes = maxBytes;
        this.zeroCopy = !context.connection().session().protocol().tls();
        this.home = Vertx.currentContext();
        this.vertx = context.broker().vertx();
    }

    Future<ApiMessage> run() {
        readAndMaybeAnswer();
        return result.future();
    }

    private void readAndMaybeAnswer() {
        reading = true;
        List<Future<PartitionRead>> reads = new ArrayList<>(targets.size());
        for (FetchTarget target : targets) {
            reads.add(read(target));
        }
        Future.all(reads).onComplete(ar -> {
            reading = false;
            if (result.future().isComplete()) {
                return;
            }
            List<PartitionRead> done = new ArrayList<>(targets.size());
            for (Future<PartitionRead> f : reads) {
                done.add(f.result());
            }
            int bytes = 0;
            boolean anyError = false;
            for (PartitionRead r : done) {
                bytes += r.size();
                anyError |= r.error() != Errors.NONE || r.diverging() != null;
            }
            if (expired || maxWaitMs == 0 || bytes >= minBytes || anyError || targets.isEmpty()) {
                answer(done);
            } else if (wokenWhileReading) {
                wokenWhileReading = false;
                readAndMaybeAnswer();
            } else {
                lastReads = done;
                park();
            }
        });
    }

    private Future<PartitionRead> read(FetchTarget target) {
        Partition partition = target.partition();
        if (partition == null) {
            return Future.succeededFuture(PartitionRead.error(target.missingError()));
        }
        int leaderEpoch = target.request().currentLeaderEpoch();
        long offset = target.request().fetchOffset();
        int partitionMaxBytes = target.request().partitionMaxBytes();
        int lastFetchedEpoch = target.request().lastFetchedEpoch();
        return ContextHop.call(partition.owner(), () -> {
            if (!partition.isLeader()) {
                return PartitionRead.error(Errors.NOT_LEADER_OR_FOLLOWER, partition);
            }
            if (leaderEpoch >= 0 && leaderEpoch != partition.leaderEpoch()) {
                return PartitionRead.error(leaderEpoch > partition.leaderEpoch()
                        ? Errors.UNKNOWN_LEADER_EPOCH : Errors.FENCED_LEADER_EPOCH, partition);
            }
            if (replicaId >= 0) {
                return readForFollower(partition, offset, lastFetchedEpoch, partitionMaxBytes);
            }
            if (offset < partition.logStartOffset() || offset > partition.logEndOffset()) {
                return PartitionRead.error(Errors.OFFSET_OUT_OF_RANGE, partition);
            }
            long lastStable = partition.lastStableOffset();
            if (!readCommitted) {
                // Consumers see only what every in-sync replica has.
                ReadResult read = read(partition, offset, partitionMaxBytes, partition.highWatermark());
                return new PartitionRead(Errors.NONE, partition.highWatermark(), lastStable,
                        partition.logStartOffset(), read, null);
            }
            // read_committed: nothing at or past the last stable offset, plus the aborts the data overlaps.
            ReadResult read = read(partition, offset, partitionMaxBytes, lastStable);
            List<AbortedTxn> aborted = read.sizeInBytes() == 0 ? List.of()
                    : partition.log().abortedTransactions(offset, lastStable);
            return new PartitionRead(Errors.NONE, partition.highWatermark(), lastStable, partition.logStartOffset(),
                    read, aborted);
        }).recover(e -> {
            Errors error = LogErrors.of(e);
            if (error == Errors.UNKNOWN_SERVER_ERROR) {
                LOG.warn("Fetch of {}-{} failed", target.topic(), target.request().partition(), e);
            }
            return Future.succeededFuture(PartitionRead.error(error));
        });
    }

    /**
     * A follower's read: first the divergence check on the epoch of its last fetched batch (KIP-320), then its
     * progress is recorded (which may move the high watermark, or make it eligible for the ISR), then records up
     * to the log end.
     */
    private PartitionRead readForFollower(Partition partition, long offset, int lastFetchedEpoch, int maxBytes)
            throws Exception {
        if (lastFetchedEpoch >= 0) {
            EpochEndOffset leaderEnd = partition.endOffsetForEpoch(lastFetchedEpoch);
            if (leaderEnd.epoch() < 0 || leaderEnd.endOffset() < 0) {
                // No epoch here to compare with (Kafka answers the same): the follower falls back to the high watermark.
                return PartitionRead.error(Errors.OFFSET_OUT_OF_RANGE, partition);
            }
            if (leaderEnd.epoch() < lastFetchedEpoch || leaderEnd.endOffset() < offset) {
                return PartitionRead.diverging(partition, leaderEnd);
            }
        }
        if (offset < partition.logStartOffset() || offset > partition.logEndOffset()) {
            return PartitionRead.error(Errors.OFFSET_OUT_OF_RANGE, partition);
        }
        if (partition.recordFollowerFetch(replicaId, offset, context.broker().clock().millis())) {
            context.broker().cluster().replicas().requestIsrExpansion(partition, replicaId);
        }
        ReadResult read = read(partition, offset, maxBytes, Long.MAX_VALUE);
        return new PartitionRead(Errors.NONE, partition.highWatermark(), partition.lastStableOffset(),
                partition.logStartOffset(), read, null, partition.logEndOffset(), null);
    }

    /**
     * Owner: whole batches from {@code offset} below {@code maxOffset}. A slice only says where the bytes are; the
     * segment file is retained later, in {@link #answer}, for just the reads that go into the response, so reads
     * dropped by a wait or by the response size limit hold nothing.
     */
    private ReadResult read(Partition partition, long offset, int maxBytes, long maxOffset) throws Exception {
        return zeroCopy ? partition.readSlice(offset, maxBytes, true, maxOffset)
                : partition.read(offset, maxBytes, true, maxOffset);
    }

    private void park() {
        if (!parked) {
            parked = true;
            timerId = vertx.setTimer(maxWaitMs, id -> {
                expired = true;
                if (!reading) {
                    readAndMaybeAnswer();
                }
            });
        }
        for (int i = 0; i < targets.size(); i++) {
            Partition partition = targets.get(i).partition();
            long knownEnd = lastReads.get(i).visibleEnd();
            boolean replica = replicaId >= 0;
            if (partition != null) {
                partition.owner().runOnContext(v ->
                        partition.awaitAppend(knownEnd, replica, () -> home.runOnContext(x -> wake())));
            }
        }
    }

    private void wake() {
        if (result.future().isComplete() || expired) {
            return;
        }
        if (reading) {
            wokenWhileReading = true;
        } else {
            readAndMaybeAnswer();
        }
    }

    private void answer(List<PartitionRead> reads) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        FetchResponseData response = new FetchResponseData().setSessionId(0).setErrorCode(Errors.NONE.code());
        FetchableTopicResponse current = null;
        int budget = maxBytes;
        boolean first = true;
        for (int i = 0; i < targets.size(); i++) {
            FetchTarget target = targets.get(i);
            PartitionRead read = reads.get(i);
            if (current == null || !sameTopic(current, target)) {
                current = new FetchableTopicResponse().setTopic(target.topic()).setTopicId(target.topicId());
                response.responses().add(current);
            }
            BaseRecords records = MemoryRecords.EMPTY;
            if (read.records() != null && read.size() > 0 && (first || read.size() <= budget)) {
                // KIP-74: the first partition with data returns at least one whole batch.
                BaseRecords taken = take(read.records());
                if (taken != null) {
                    records = taken;
                    budget -= read.size();
                    first = false;
                }
            }
            PartitionData partitionData = new PartitionData();
            if (read.diverging() != null) {
                partitionData.setDivergingEpoch(new FetchResponseData.EpochEndOffset()
                        .setEpoch(read.diverging().epoch())
                        .setEndOffset(read.diverging().endOffset()));
            }
            current.partitions().add(partitionData
                    .setPartitionIndex(target.request().partition())
                    .setErrorCode(read.error().code())
                    .setHighWatermark(read.highWatermark())
                    .setLastStableOffset(read.lastStableOffset())
                    .setAbortedTransactions(abortedTransactions(read))
                    .setLogStartOffset(read.logStartOffset())
                    .setPreferredReadReplica(-1)
                    .setRecords(records));
        }
        result.tryComplete(response);
    }

    /** The records to answer with; null if the slice's segment was deleted or replaced since it was read. */
    private static BaseRecords take(ReadResult read) {
        return read.isSlice() ? SegmentRecords.retain(read) : MemoryRecords.readableRecords(read.records());
    }

    private static List<AbortedTransaction> abortedTransactions(PartitionRead read) {
        if (read.abortedTransactions() == null) {
            return null;
        }
        List<AbortedTransaction> list = new ArrayList<>(read.abortedTransactions().size());
        for (AbortedTxn t : read.abortedTransactions()) {
            list.add(new AbortedTransaction().setProducerId(t.producerId()).setFirstOffset(t.firstOffset()));
        }
        return list;
    }

    private static boolean sameTopic(FetchableTopicResponse response, FetchTarget target) {
        return java.util.Objects.equals(response.topic(), target.topic())
                && java.util.Objects.equals(response.topicId(), target.topicId());
    }
}
