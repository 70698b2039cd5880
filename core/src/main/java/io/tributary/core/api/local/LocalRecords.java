package io.tributary.core.api.local;

import io.tributary.core.BrokerServices;
import io.tributary.core.api.ApiException;
import io.tributary.core.api.AppendedRecord;
import io.tributary.core.api.NewRecord;
import io.tributary.core.api.PartitionOffsets;
import io.tributary.core.api.Records;
import io.tributary.core.api.RecordsRead;
import io.tributary.core.api.TopicDescription;
import io.tributary.core.api.Topics;
import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.partition.Partition;
import io.tributary.core.protocol.ApiRecordCodec;
import io.tributary.core.protocol.RecordTimestamps;
import io.tributary.storage.AppendResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link Records} over the partitions this broker hosts. */
public final class LocalRecords implements Records {

    private final BrokerServices broker;
    private final Topics topics;
    /** Spreads keyless records over partitions; contention-free enough for a counter bumped once a call. */
    private final AtomicInteger roundRobin = new AtomicInteger();

    public LocalRecords(BrokerServices broker, Topics topics) {
        this.broker = broker;
        this.topics = topics;
    }

    @Override
    public Future<List<AppendedRecord>> append(String topic, int partition, List<NewRecord> records) {
        if (records.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        return topics.ensure(topic).compose(description -> appendTo(description, partition, records));
    }

    private Future<List<AppendedRecord>> appendTo(TopicDescription topic, int requested, List<NewRecord> records) {
        if (requested != ANY_PARTITION && (requested < 0 || requested >= topic.partitions())) {
            return Future.failedFuture(ApiErrors.unknownPartition(topic.name(), requested));
        }
        // Records for one partition go in one batch, keeping their relative order.
        Map<Integer, List<Integer>> byPartition = new TreeMap<>();
        int spread = requested == ANY_PARTITION ? Math.floorMod(roundRobin.getAndIncrement(), topic.partitions()) : 0;
        for (int i = 0; i < records.size(); i++) {
            byte[] key = records.get(i).key();
            int p = requested != ANY_PARTITION ? requested
                    : key != null ? ApiRecordCodec.partitionForKey(key, topic.partitions()) : spread;
            byPartition.computeIfAbsent(p, x -> new ArrayList<>()).add(i);
        }
        AppendedRecord[] results = new AppendedRecord[records.size()];
        List<Future<Void>> appends = new ArrayList<>();
        byPartition.forEach((p, indexes) -> {
            List<NewRecord> batch = indexes.stream().map(records::get).toList();
            appends.add(appendBatch(new TopicPartition(topic.name(), p), batch).map(stamped -> {
                AppendResult appended = stamped.result();
                for (int j = 0; j < indexes.size(); j++) {
                    NewRecord r = batch.get(j);
                    long timestamp = appended.logAppendTime() >= 0 ? appended.logAppendTime()
                            : r.timestamp() == NewRecord.NOW ? stamped.stampedAt() : r.timestamp();
                    results[indexes.get(j)] = new AppendedRecord(topic.name(), p, appended.baseOffset() + j, timestamp);
                }
                return null;
            }));
        });
        return Future.all(appends).map(v -> List.of(results))
                .recover(e -> Future.failedFuture(ApiErrors.of(firstFailure(appends, e))));
    }

    private Future<StampedAppend> appendBatch(TopicPartition tp, List<NewRecord> batch) {
        Partition partition = broker.partitions().get(tp);
        if (partition == null) {
            return Future.failedFuture(new ApiException(ApiException.Reason.UNAVAILABLE,
                    "Partition " + tp + " is not open on this broker"));
        }
        if (partition.config().cleanup().compact() && batch.stream().anyMatch(r -> r.key() == null)) {
            return Future.failedFuture(new ApiException(ApiException.Reason.INVALID_REQUEST,
                    "Compacted topic " + tp.topic() + " accepts only records with a key"));
        }
        long now = broker.clock().millis();
        ByteBuffer encoded = ApiRecordCodec.encode(batch, now);
        return ContextHop.compose(partition.owner(), () -> partition.appendAndFlushIfDue(encoded))
                .map(result -> new StampedAppend(result, now));
    }

    @Override
    public Future<RecordsRead> read(TopicPartition tp, long offset, int maxBytes) {
        Partition partition = broker.partitions().get(tp);
        if (partition == null) {
            return Future.failedFuture(missing(tp));
        }
        return ContextHop.call(partition.owner(), () -> readOnOwner(partition, offset, maxBytes))
                .recover(e -> Future.failedFuture(ApiErrors.of(e)));
    }

    @Override
    public Future<RecordsRead> poll(TopicPartition tp, long offset, int maxBytes, long maxWaitMs) {
        Partition partition = broker.partitions().get(tp);
        if (partition == null) {
            return Future.failedFuture(missing(tp));
        }
        return ContextHop.compose(partition.owner(), () -> {
            RecordsRead first = readOnOwner(partition, offset, maxBytes);
            if (!first.isEmpty() || maxWaitMs <= 0 || first.nextOffset() < partition.highWatermark()) {
                return Future.succeededFuture(first);
            }
            return awaitThenRead(partition, first.nextOffset(), maxBytes, maxWaitMs);
        }).recover(e -> Future.failedFuture(ApiErrors.of(e)));
    }

    /** Parks until the next append or the timeout, whichever is first, then reads again. Owner only. */
    private Future<RecordsRead> awaitThenRead(Partition partition, long offset, int maxBytes, long maxWaitMs) {
        Promise<Void> woken = Promise.promise();
        long timer = broker.vertx().setTimer(maxWaitMs, id -> woken.tryComplete());
        // Appends run on this same context, so the waiter does too.
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

    /** Reads committed data (below the high watermark) on the partition's owner. */
    private static RecordsRead readOnOwner(Partition partition, long offset, int maxBytes) throws Exception {
        TopicPartition tp = partition.topicPartition();
        long highWatermark = partition.highWatermark();
        long logStart = partition.logStartOffset();
        if (offset < logStart || offset > highWatermark) {
            throw new ApiException(ApiException.Reason.OFFSET_OUT_OF_RANGE, "Offset " + offset + " is outside ["
                    + logStart + ", " + highWatermark + "] of " + tp);
        }
        if (offset == highWatermark) {
            return new RecordsRead(List.of(), offset, highWatermark, logStart);
        }
        var read = partition.read(offset, maxBytes, true);
        ApiRecordCodec.Decoded decoded = ApiRecordCodec.decode(tp.topic(), tp.partition(), read.records(), offset);
        List<io.tributary.core.api.StoredRecord> visible = decoded.records().stream()
                .filter(r -> r.offset() < highWatermark)
                .toList();
        long next = Math.min(decoded.nextOffset(), highWatermark);
        return new RecordsRead(visible, next, highWatermark, logStart);
    }

    @Override
    public Future<Long> offsetFor(TopicPartition tp, long timestamp) {
        Partition partition = broker.partitions().get(tp);
        if (partition == null) {
            return Future.failedFuture(missing(tp));
        }
        return ContextHop.call(partition.owner(), () -> {
            if (timestamp == EARLIEST) {
                return partition.logStartOffset();
            }
            if (timestamp == LATEST || timestamp < 0) {
                return partition.highWatermark();
            }
            return partition.log().firstBatchWithMaxTimestampAtLeast(timestamp)
                    .map(batch -> RecordTimestamps.firstAtOrAfter(batch, timestamp).offset())
                    .orElse(partition.highWatermark());
        }).recover(e -> Future.failedFuture(ApiErrors.of(e)));
    }

    @Override
    public Future<PartitionOffsets> offsets(TopicPartition tp) {
        Partition partition = broker.partitions().get(tp);
        if (partition == null) {
            return Future.failedFuture(missing(tp));
        }
        return ContextHop.call(partition.owner(), () -> new PartitionOffsets(tp.topic(), tp.partition(),
                partition.logStartOffset(), partition.highWatermark()));
    }

    private ApiException missing(TopicPartition tp) {
        if (broker.topics().image().topic(tp.topic()).isEmpty()) {
            return new ApiException(ApiException.Reason.UNKNOWN_TOPIC, "Topic " + tp.topic() + " does not exist");
        }
        return ApiErrors.unknownPartition(tp.topic(), tp.partition());
    }

    private static Throwable firstFailure(List<Future<Void>> futures, Throwable fallback) {
        return futures.stream().filter(Future::failed).map(Future::cause).findFirst().orElse(fallback);
    }

    /** An append's result with the clock reading its records were stamped with. */
    private record StampedAppend(AppendResult result, long stampedAt) {
    }
}
