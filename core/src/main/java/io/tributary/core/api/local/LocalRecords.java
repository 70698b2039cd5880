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
import io.tributary.core.config.TopicConfigs;
import io.tributary.core.partition.Partition;
import io.tributary.core.protocol.ApiRecordCodec;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Records} for the gateways and connectors. A standalone broker serves them from its own partitions; a
 * clustered one from each partition's leader, wherever it is (see {@link RoutedPartitionAccess}), and serves the
 * partitions it leads to the other members (see {@link PartitionEndpoint}).
 */
public final class LocalRecords implements Records {

    private final BrokerServices broker;
    private final Topics topics;
    /** Spreads keyless records over partitions; contention-free enough for a counter bumped once a call. */
    private final AtomicInteger roundRobin = new AtomicInteger();

    private final PartitionAccess partitions;

    public LocalRecords(BrokerServices broker, Topics topics) {
        this.broker = broker;
        this.topics = topics;
        LocalPartitionAccess local = new LocalPartitionAccess(broker);
        if (broker.cluster().membership().clustered()) {
            new PartitionEndpoint(local).register(broker.vertx(), broker.nodeId());
            this.partitions = new RoutedPartitionAccess(broker, local);
        } else {
            this.partitions = local;
        }
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
                PartitionAccess.Appended appended = stamped.result();
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
        if (broker.partitions().get(tp) == null && broker.topics().image().topic(tp.topic()).isEmpty()) {
            return Future.failedFuture(missing(tp));
        }
        Partition local = broker.partitions().get(tp);
        boolean compacted = local != null ? local.config().cleanup().compact()
                : broker.topics().image().topic(tp.topic())
                        .map(t -> TopicConfigs.toLogConfig(t.configs(), broker.config()).cleanup().compact())
                        .orElse(false);
        if (compacted && batch.stream().anyMatch(r -> r.key() == null)) {
            return Future.failedFuture(new ApiException(ApiException.Reason.INVALID_REQUEST,
                    "Compacted topic " + tp.topic() + " accepts only records with a key"));
        }
        long now = broker.clock().millis();
        ByteBuffer encoded = ApiRecordCodec.encode(batch, now);
        return partitions.append(tp, encoded).map(result -> new StampedAppend(result, now));
    }

    @Override
    public Future<RecordsRead> read(TopicPartition tp, long offset, int maxBytes) {
        return poll(tp, offset, maxBytes, 0);
    }

    @Override
    public Future<RecordsRead> poll(TopicPartition tp, long offset, int maxBytes, long maxWaitMs) {
        return partitions.read(tp, offset, maxBytes, maxWaitMs)
                .map(read -> decode(tp, read))
                .recover(e -> Future.failedFuture(ApiErrors.of(e)));
    }

    /** Decodes stored batches into records, skipping control batches; nothing at or past the high watermark. */
    private static RecordsRead decode(TopicPartition tp, PartitionAccess.RawRead read) {
        long highWatermark = read.highWatermark();
        if (read.records() == null) {
            return new RecordsRead(List.of(), read.offset(), highWatermark, read.logStartOffset());
        }
        ApiRecordCodec.Decoded decoded = ApiRecordCodec.decode(tp.topic(), tp.partition(), read.records(),
                read.offset());
        List<io.tributary.core.api.StoredRecord> visible = decoded.records().stream()
                .filter(r -> r.offset() < highWatermark)
                .toList();
        long next = Math.min(decoded.nextOffset(), highWatermark);
        return new RecordsRead(visible, next, highWatermark, read.logStartOffset());
    }

    @Override
    public Future<Long> offsetFor(TopicPartition tp, long timestamp) {
        return partitions.offsetFor(tp, timestamp).recover(e -> Future.failedFuture(ApiErrors.of(e)));
    }

    @Override
    public Future<PartitionOffsets> offsets(TopicPartition tp) {
        return partitions.offsets(tp).recover(e -> Future.failedFuture(ApiErrors.of(e)));
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
    private record StampedAppend(PartitionAccess.Appended result, long stampedAt) {
    }
}
