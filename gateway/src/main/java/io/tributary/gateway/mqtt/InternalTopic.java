package io.tributary.gateway.mqtt;

import io.tributary.core.api.ApiException;
import io.tributary.core.api.BrokerApi;
import io.tributary.core.api.StoredRecord;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;

import java.util.Map;
import java.util.function.Consumer;

/** A compacted single-partition topic holding gateway state, replayed from its start when the gateway starts. */
final class InternalTopic {

    private static final int READ_BYTES = 1 << 20;

    private final BrokerApi api;
    private final TopicPartition partition;

    InternalTopic(BrokerApi api, String name) {
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

    /** Feeds every stored record, oldest first, to {@code sink}; later records for a key supersede earlier ones. */
    Future<Void> replay(Consumer<StoredRecord> sink) {
        return api.records().offsets(partition).compose(range -> readFrom(range.logStartOffset(), range.highWatermark(), sink));
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
