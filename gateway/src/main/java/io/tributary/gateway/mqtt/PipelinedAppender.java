package io.tributary.gateway.mqtt;

import io.tributary.core.api.ApiException;
import io.tributary.core.api.AppendedRecord;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The appends of the connections on one event loop, pipelined per Kafka topic: while an append is in flight, later
 * publications for the same topic wait and then go together in one append (up to {@value #MAX_BATCH_BYTES} bytes).
 * An idle broker adds no delay, a busy one writes batches instead of a record at a time, and each client's
 * publications keep their order per topic. Used only on its event loop, so it needs no locks.
 */
final class PipelinedAppender {

    private record Pending(Publication publication, Promise<AppendedRecord> promise) {
    }

    /** Publications waiting for the append in flight on one Kafka topic. */
    private static final class Lane {
        boolean busy;
        List<Pending> waiting = new ArrayList<>();
    }

    /** Well below the default max.message.bytes, so a batch of accepted publishes is never refused as too large. */
    static final int MAX_BATCH_BYTES = 256 * 1024;

    private final LogPublisher publisher;
    /** The event loop's context: results are handed to the connections there, whichever thread completed the append. */
    private final Context context;
    private final Map<String, Lane> lanes = new HashMap<>();

    PipelinedAppender(LogPublisher publisher, Context context) {
        this.publisher = publisher;
        this.context = context;
    }

    Future<AppendedRecord> publish(Publication p) {
        String topic;
        try {
            topic = publisher.kafkaTopicFor(p);
        } catch (ApiException e) {
            return Future.failedFuture(e);
        }
        Lane lane = lanes.computeIfAbsent(topic, t -> new Lane());
        Promise<AppendedRecord> promise = Promise.promise();
        lane.waiting.add(new Pending(p, promise));
        if (!lane.busy) {
            flush(topic, lane);
        }
        return promise.future();
    }

    private void flush(String topic, Lane lane) {
        List<Pending> batch = new ArrayList<>();
        int bytes = 0;
        int taken = 0;
        for (Pending p : lane.waiting) {
            int size = p.publication().payload().length + p.publication().topic().length() + 64;
            // A large publication goes alone: if the topic refuses it, no other client's publish fails with it.
            if (taken > 0 && (bytes + size > MAX_BATCH_BYTES || size > MAX_BATCH_BYTES / 4)) {
                break;
            }
            batch.add(p);
            bytes += size;
            taken++;
            if (size > MAX_BATCH_BYTES / 4) {
                break;
            }
        }
        lane.waiting = new ArrayList<>(lane.waiting.subList(taken, lane.waiting.size()));
        lane.busy = true;
        publisher.publishAll(topic, batch.stream().map(Pending::publication).toList()).onComplete(ar -> {
            if (Vertx.currentContext() == context) {
                completed(topic, lane, batch, ar);
            } else {
                // An append that had to create its topic completes on another thread: come back first.
                context.runOnContext(v -> completed(topic, lane, batch, ar));
            }
        });
    }

    private void completed(String topic, Lane lane, List<Pending> batch, AsyncResult<List<AppendedRecord>> ar) {
        for (int i = 0; i < batch.size(); i++) {
            if (ar.succeeded()) {
                batch.get(i).promise().complete(ar.result().get(i));
            } else {
                batch.get(i).promise().fail(ar.cause());
            }
        }
        if (lane.waiting.isEmpty()) {
            lane.busy = false;
            lanes.remove(topic);
        } else {
            flush(topic, lane);
        }
    }
}
