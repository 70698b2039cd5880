package io.tributary.gateway.http;

import io.tributary.core.api.ApiException;
import io.tributary.core.api.Records;
import io.tributary.core.api.RecordsRead;
import io.tributary.core.api.StoredRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One read pass of a consumer instance over its partitions: reads them all at once, then takes records in a
 * rotating partition order (so no partition starves another) until max_bytes is reached, always at least one.
 */
final class ConsumerReader {

    /** The records to answer with and where each partition continues; partitions absent did not move. */
    record Batch(JsonArray records, Map<TopicPartition, Long> nextPositions) {
    }

    private final Records records;
    private final Context context;
    private int rotation;

    ConsumerReader(Records records, Context context) {
        this.records = records;
        this.context = context;
    }

    Future<Batch> read(Map<TopicPartition, Long> from, long maxBytes, ValueCodec codec,
                       Consumer<TopicPartition> onOutOfRange) {
        if (from.isEmpty()) {
            return Future.succeededFuture(new Batch(new JsonArray(), Map.of()));
        }
        List<TopicPartition> order = new ArrayList<>(from.keySet());
        order.sort((a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition())
                : a.topic().compareTo(b.topic()));
        Collections.rotate(order, rotation++ % order.size());
        int perRead = (int) Math.min(maxBytes, Integer.MAX_VALUE);
        List<Future<RecordsRead>> reads = new ArrayList<>(order.size());
        for (TopicPartition tp : order) {
            reads.add(onContext(records.read(tp, from.get(tp), perRead)).recover(e -> {
                if (e instanceof ApiException api && api.reason() == ApiException.Reason.OFFSET_OUT_OF_RANGE) {
                    onOutOfRange.accept(tp);
                }
                return Future.succeededFuture(null);
            }));
        }
        return Future.all(reads).map(v -> assemble(order, reads, from, maxBytes, codec));
    }

    private static Batch assemble(List<TopicPartition> order, List<Future<RecordsRead>> reads,
                                  Map<TopicPartition, Long> from, long maxBytes, ValueCodec codec) {
        JsonArray out = new JsonArray();
        Map<TopicPartition, Long> next = new HashMap<>();
        long bytes = 0;
        for (int i = 0; i < order.size(); i++) {
            RecordsRead read = reads.get(i).result();
            if (read == null) {
                continue;
            }
            TopicPartition tp = order.get(i);
            long position = from.get(tp);
            boolean full = false;
            for (StoredRecord record : read.records()) {
                long size = RecordJson.size(record);
                if (!out.isEmpty() && bytes + size > maxBytes) {
                    full = true;
                    break;
                }
                out.add(RecordJson.encode(record, codec));
                bytes += size;
                position = record.offset() + 1;
            }
            if (!full) {
                position = Math.max(position, read.nextOffset());
            }
            if (position != from.get(tp)) {
                next.put(tp, position);
            }
            if (full) {
                break;
            }
        }
        return new Batch(out, next);
    }

    private <T> Future<T> onContext(Future<T> future) {
        Promise<T> promise = Promise.promise();
        future.onComplete(ar -> context.runOnContext(x -> promise.handle(ar)));
        return promise.future();
    }
}
