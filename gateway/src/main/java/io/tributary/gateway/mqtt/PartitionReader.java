package io.tributary.gateway.mqtt;

import io.tributary.core.api.ApiException;
import io.tributary.core.api.Records;
import io.tributary.core.api.StoredRecord;
import io.vertx.core.Vertx;
import org.apache.kafka.common.TopicPartition;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Follows one partition for one client: long-polls the log from a cursor and hands records to a sink while
 * the sink has room. When it has none the reader parks, and reads nothing more until {@link #resume}.
 * Runs on the connection's context; at most one poll is outstanding.
 */
final class PartitionReader {

    private static final int READ_BYTES = 64 * 1024;
    private static final long POLL_WAIT_MS = 5_000;
    private static final long RETRY_MS = 1_000;

    private final Vertx vertx;
    private final Records records;
    private final TopicPartition partition;
    private final Consumer<StoredRecord> sink;
    private final BooleanSupplier hasRoom;
    private final LongConsumer positionListener;
    private long cursor;
    private boolean polling;
    private boolean stopped;

    PartitionReader(Vertx vertx, Records records, TopicPartition partition, long cursor, Consumer<StoredRecord> sink,
                    BooleanSupplier hasRoom, LongConsumer positionListener) {
        this.vertx = vertx;
        this.records = records;
        this.partition = partition;
        this.cursor = cursor;
        this.sink = sink;
        this.hasRoom = hasRoom;
        this.positionListener = positionListener;
    }

    TopicPartition partition() {
        return partition;
    }

    long cursor() {
        return cursor;
    }

    /** Moves the cursor back (a subscription replaying from an earlier offset); takes effect at the next poll. */
    void rewindTo(long offset) {
        if (offset < cursor) {
            cursor = offset;
            positionListener.accept(cursor);
        }
    }

    /** Starts (or continues after a pause) reading. */
    void resume() {
        if (polling || stopped || !hasRoom.getAsBoolean()) {
            return;
        }
        polling = true;
        long from = cursor;
        records.poll(partition, from, READ_BYTES, POLL_WAIT_MS).onComplete(ar -> {
            polling = false;
            if (stopped) {
                return;
            }
            if (ar.failed()) {
                recover(ar.cause());
                return;
            }
            if (from != cursor) {
                // Rewound meanwhile: drop this read and start from the new cursor.
                resume();
                return;
            }
            for (StoredRecord r : ar.result().records()) {
                sink.accept(r);
            }
            cursor = ar.result().nextOffset();
            positionListener.accept(cursor);
            resume();
        });
    }

    void stop() {
        stopped = true;
    }

    private void recover(Throwable cause) {
        if (cause instanceof ApiException e && e.reason() == ApiException.Reason.OFFSET_OUT_OF_RANGE) {
            // Retention removed what this client had not read, or the log is shorter than a stored position.
            records.offsets(partition).onSuccess(range -> {
                cursor = cursor < range.logStartOffset() ? range.logStartOffset() : Math.min(cursor, range.highWatermark());
                positionListener.accept(cursor);
                resume();
            }).onFailure(e2 -> retryLater());
        } else if (cause instanceof ApiException e && e.reason() == ApiException.Reason.UNKNOWN_TOPIC) {
            stopped = true;
        } else {
            retryLater();
        }
    }

    private void retryLater() {
        vertx.setTimer(RETRY_MS, id -> resume());
    }
}
