package io.tributary.gateway.http;

import io.tributary.core.api.ApiException;
import io.tributary.core.api.Records;
import io.tributary.core.api.StoredRecord;
import io.vertx.core.Context;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Follows every partition of a topic and hands records to a {@link StreamSink}: one long poll in flight per
 * partition, and none while the sink's write queue is full, so a slow reader holds at most one poll's worth
 * of records per partition in memory. Confined to the context that created it (the connection's).
 */
final class TopicTail {

    /** How long one poll parks on an idle partition; bounds how long a closed stream keeps a poll pending. */
    static final long POLL_WAIT_MS = 5_000;
    static final int POLL_MAX_BYTES = 64 * 1024;

    private final Records records;
    private final Context context;
    private final String topic;
    private final StreamSink sink;
    private final Map<Integer, Long> positions;
    private final List<Integer> paused = new ArrayList<>();
    private boolean drainArmed;
    private boolean stopped;

    TopicTail(Records records, Context context, String topic, Map<Integer, Long> start, StreamSink sink) {
        this.records = records;
        this.context = context;
        this.topic = topic;
        this.sink = sink;
        this.positions = new TreeMap<>(start);
    }

    void start() {
        new ArrayList<>(positions.keySet()).forEach(this::next);
    }

    void stop() {
        stopped = true;
    }

    /** Polls once more, later on the context so a fast partition never deepens the stack. */
    private void next(int partition) {
        context.runOnContext(v -> poll(partition));
    }

    private void poll(int partition) {
        if (stopped) {
            return;
        }
        if (sink.writeQueueFull()) {
            paused.add(partition);
            if (!drainArmed) {
                drainArmed = true;
                sink.onDrain(this::resume);
            }
            return;
        }
        long from = positions.get(partition);
        TopicPartition tp = new TopicPartition(topic, partition);
        records.poll(tp, from, POLL_MAX_BYTES, POLL_WAIT_MS).onComplete(ar -> {
            if (stopped) {
                return;
            }
            if (ar.failed()) {
                recover(tp, from, ar.cause());
                return;
            }
            for (StoredRecord record : ar.result().records()) {
                positions.put(partition, record.offset() + 1);
                sink.send(record, StreamPositions.eventId(partition, record.offset(), positions));
            }
            positions.put(partition, Math.max(positions.get(partition), ar.result().nextOffset()));
            next(partition);
        });
    }

    /** A position outside the log (retention, or a stale Last-Event-ID) restarts at the nearest end. */
    private void recover(TopicPartition tp, long from, Throwable cause) {
        if (!(cause instanceof ApiException api) || api.reason() != ApiException.Reason.OFFSET_OUT_OF_RANGE) {
            stopped = true;
            sink.fail(cause);
            return;
        }
        records.offsets(tp).onComplete(ar -> {
            if (ar.failed()) {
                stopped = true;
                sink.fail(ar.cause());
                return;
            }
            long restart = from < ar.result().logStartOffset() ? ar.result().logStartOffset() : ar.result().highWatermark();
            positions.put(tp.partition(), restart);
            next(tp.partition());
        });
    }

    private void resume() {
        drainArmed = false;
        List<Integer> resuming = new ArrayList<>(paused);
        paused.clear();
        resuming.forEach(this::next);
    }
}
