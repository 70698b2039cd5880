package io.tributary.core.api.local;

import io.tributary.core.BrokerServices;
import io.tributary.core.api.ApiException;
import io.tributary.core.api.PartitionOffsets;
import io.tributary.core.api.Records;
import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.partition.Partition;
import io.tributary.core.protocol.RecordTimestamps;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;

/** {@link PartitionAccess} on the partitions this broker leads, each on its owner context. */
final class LocalPartitionAccess implements PartitionAccess {

    private final BrokerServices broker;

    LocalPartitionAccess(BrokerServices broker) {
        this.broker = broker;
    }

    @Override
    public Future<Appended> append(TopicPartition tp, ByteBuffer encoded) {
        Partition partition = broker.partitions().get(tp);
        if (partition == null) {
            return Future.failedFuture(notHere(tp));
        }
        return ContextHop.compose(partition.owner(), () -> partition.appendAndFlushIfDue(encoded))
                .map(result -> new Appended(result.baseOffset(), result.logAppendTime()));
    }

    @Override
    public Future<RawRead> read(TopicPartition tp, long offset, int maxBytes, long maxWaitMs) {
        Partition partition = broker.partitions().get(tp);
        if (partition == null) {
            return Future.failedFuture(notHere(tp));
        }
        return ContextHop.compose(partition.owner(), () -> {
            RawRead first = readOnOwner(partition, offset, maxBytes);
            if (first.records() != null || maxWaitMs <= 0 || offset < partition.highWatermark()) {
                return Future.succeededFuture(first);
            }
            return awaitThenRead(partition, offset, maxBytes, maxWaitMs);
        });
    }

    /** Parks until the high watermark moves or the timeout, whichever is first, then reads again. Owner only. */
    private Future<RawRead> awaitThenRead(Partition partition, long offset, int maxBytes, long maxWaitMs) {
        Promise<Void> woken = Promise.promise();
        long timer = broker.vertx().setTimer(maxWaitMs, id -> woken.tryComplete());
        partition.awaitAppend(offset, () -> {
            broker.vertx().cancelTimer(timer);
            woken.tryComplete();
        });
        return woken.future().compose(v -> {
            try {
                return Future.succeededFuture(readOnOwner(partition, offset, maxBytes));
            } catch (Exception e) {
                return Future.failedFuture(e);
            }
        });
    }

    private static RawRead readOnOwner(Partition partition, long offset, int maxBytes) throws Exception {
        ensureLeader(partition);
        long highWatermark = partition.highWatermark();
        long logStart = partition.logStartOffset();
        if (offset < logStart || offset > highWatermark) {
            throw new ApiException(ApiException.Reason.OFFSET_OUT_OF_RANGE, "Offset " + offset + " is outside ["
                    + logStart + ", " + highWatermark + "] of " + partition.topicPartition());
        }
        if (offset == highWatermark) {
            return new RawRead(null, offset, highWatermark, logStart);
        }
        ByteBuffer records = partition.read(offset, maxBytes, true, highWatermark).records();
        return new RawRead(records == null || !records.hasRemaining() ? null : records, offset, highWatermark,
                logStart);
    }

    @Override
    public Future<Long> offsetFor(TopicPartition tp, long timestamp) {
        Partition partition = broker.partitions().get(tp);
        if (partition == null) {
            return Future.failedFuture(notHere(tp));
        }
        return ContextHop.call(partition.owner(), () -> {
            ensureLeader(partition);
            if (timestamp == Records.EARLIEST) {
                return partition.logStartOffset();
            }
            if (timestamp == Records.LATEST || timestamp < 0) {
                return partition.highWatermark();
            }
            return partition.log().firstBatchWithMaxTimestampAtLeast(timestamp)
                    .map(batch -> RecordTimestamps.firstAtOrAfter(batch, timestamp).offset())
                    .filter(found -> found < partition.highWatermark())
                    .orElse(partition.highWatermark());
        });
    }

    @Override
    public Future<PartitionOffsets> offsets(TopicPartition tp) {
        Partition partition = broker.partitions().get(tp);
        if (partition == null) {
            return Future.failedFuture(notHere(tp));
        }
        return ContextHop.call(partition.owner(), () -> {
            ensureLeader(partition);
            return new PartitionOffsets(tp.topic(), tp.partition(), partition.logStartOffset(),
                    partition.highWatermark());
        });
    }

    /** A partition this broker does not host: unknown to the cluster, or (in a cluster) hosted elsewhere. */
    private ApiException notHere(TopicPartition tp) {
        var topic = broker.topics().image().topic(tp.topic());
        if (topic.isEmpty()) {
            return new ApiException(ApiException.Reason.UNKNOWN_TOPIC, "Topic " + tp.topic() + " does not exist");
        }
        if (tp.partition() < 0 || tp.partition() >= topic.get().partitionCount()) {
            return ApiErrors.unknownPartition(tp.topic(), tp.partition());
        }
        return new ApiException(ApiException.Reason.UNAVAILABLE, "Partition " + tp + " is not open on this broker");
    }

    private static void ensureLeader(Partition partition) {
        if (!partition.isLeader()) {
            throw new ApiException(ApiException.Reason.UNAVAILABLE, "This broker no longer leads "
                    + partition.topicPartition());
        }
    }
}
