package io.tributary.gateway.mqtt;

import io.tributary.core.api.ApiException;
import io.tributary.core.api.BrokerApi;
import io.tributary.core.api.StoredRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.function.Consumer;

/**
 * A compacted single-partition topic holding gateway state, replayed from its start when the gateway starts. In a
 * cluster the partition's leader may be elsewhere, or not elected yet while members start: the replay waits for it.
 */
final class InternalTopic {

    private static final Logger LOG = LoggerFactory.getLogger(InternalTopic.class);
    private static final int READ_BYTES = 1 << 20;
    private static final long RETRY_MS = 1_000;
    private static final long REPLAY_DEADLINE_MS = 180_000;

    private final Vertx vertx;
    private final BrokerApi api;
    private final TopicPartition partition;

    InternalTopic(Vertx vertx, BrokerApi api, String name) {
        this.vertx = vertx;
        this.api = api;
        this.partition = new TopicPartition(name, 0);
    }

    String name() {
        return partition.topic();
    }

    /** Creates the topic when missing (compacted: only the latest record per key matters). */
    Future<Void> ensureExists() {
        if (api.topics().describe(name()).isPresent()) {
            return Future.succeededFuture();
        }
        return api.topics().create(name(), 1, Map.of("cleanup.policy", "compact"))
                .<Void>mapEmpty()
                .recover(e -> e instanceof ApiException ae && ae.reason() == ApiException.Reason.TOPIC_EXISTS
                        ? Future.succeededFuture() : Future.failedFuture(e));
    }

    /**
     * Feeds every stored record, oldest first, to {@code sink}; later records for a key supersede earlier ones, so
     * a replay that starts over (the partition had no reachable leader) feeds the same records again.
     */
    Future<Void> replay(Consumer<StoredRecord> sink) {
        Promise<Void> done = Promise.promise();
        attemptReplay(sink, System.currentTimeMillis() + REPLAY_DEADLINE_MS, done);
        return done.future();
    }

    private void attemptReplay(Consumer<StoredRecord> sink, long deadline, Promise<Void> done) {
        api.records().offsets(partition)
                .compose(range -> readFrom(range.logStartOffset(), range.highWatermark(), sink))
                .onSuccess(done::complete)
                .onFailure(e -> {
                    if (e instanceof ApiException ae && ae.retriable() && System.currentTimeMillis() < deadline) {
                        LOG.info("Waiting for {} to be readable: {}", partition, e.getMessage());
                        vertx.setTimer(RETRY_MS, id -> attemptReplay(sink, deadline, done));
                    } else {
                        done.fail(e);
                    }
                });
    }

    private Future<Void> readFrom(long offset, long end, Consumer<StoredRecord> sink) {
        if (offset >= end) {
            return Future.succeededFuture();
        }
        return api.records().read(partition, offset, READ_BYTES).compose(read -> {
            read.records().forEach(sink);
            long next = read.nextOffset();
            return next <= offset ? Future.succeededFuture() : readFrom(next, end, sink);
        });
    }
}
