package io.tributary.core.api.local;

import io.tributary.core.BrokerServices;
import io.tributary.core.api.ApiException;
import io.tributary.core.api.PartitionOffsets;
import io.tributary.core.metadata.PartitionState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * {@link PartitionAccess} for a broker in a cluster: each operation goes to the partition's current leader, this
 * broker's own partitions directly, the others' through {@link PartitionEndpoint} on the event bus. While a
 * partition has no leader, or leadership is moving, an operation is retried for a few seconds before it fails
 * with {@link ApiException.Reason#UNAVAILABLE}.
 */
final class RoutedPartitionAccess implements PartitionAccess {

    private static final long RETRY_MS = 200;
    private static final long RETRY_FOR_MS = 10_000;
    private static final long EXTRA_TIMEOUT_MS = 10_000;

    private final BrokerServices broker;
    private final LocalPartitionAccess local;

    RoutedPartitionAccess(BrokerServices broker, LocalPartitionAccess local) {
        this.broker = broker;
        this.local = local;
    }

    @Override
    public Future<Appended> append(TopicPartition tp, ByteBuffer encoded) {
        return route(tp, () -> local.append(tp, encoded.duplicate()), leader -> {
            DeliveryOptions options = headers(PartitionEndpoint.APPEND, tp);
            byte[] bytes = new byte[encoded.remaining()];
            encoded.duplicate().get(bytes);
            return broker.vertx().eventBus().<JsonObject>request(PartitionEndpoint.address(leader),
                    Buffer.buffer(bytes), options).map(reply -> new Appended(
                    reply.body().getLong(PartitionEndpoint.BASE_OFFSET),
                    reply.body().getLong(PartitionEndpoint.LOG_APPEND_TIME)));
        });
    }

    @Override
    public Future<RawRead> read(TopicPartition tp, long offset, int maxBytes, long maxWaitMs) {
        return route(tp, () -> local.read(tp, offset, maxBytes, maxWaitMs), leader -> {
            DeliveryOptions options = headers(PartitionEndpoint.READ, tp)
                    .addHeader(PartitionEndpoint.OFFSET, String.valueOf(offset))
                    .addHeader(PartitionEndpoint.MAX_BYTES, String.valueOf(maxBytes))
                    .addHeader(PartitionEndpoint.MAX_WAIT_MS, String.valueOf(maxWaitMs))
                    .setSendTimeout(Math.max(0, maxWaitMs) + EXTRA_TIMEOUT_MS);
            return broker.vertx().eventBus().<Buffer>request(PartitionEndpoint.address(leader), Buffer.buffer(), options)
                    .map(reply -> {
                        var h = reply.headers();
                        Buffer body = reply.body();
                        return new RawRead(body.length() == 0 ? null : ByteBuffer.wrap(body.getBytes()),
                                Long.parseLong(h.get(PartitionEndpoint.OFFSET)),
                                Long.parseLong(h.get(PartitionEndpoint.HIGH_WATERMARK)),
                                Long.parseLong(h.get(PartitionEndpoint.LOG_START)));
                    });
        });
    }

    @Override
    public Future<Long> offsetFor(TopicPartition tp, long timestamp) {
        return route(tp, () -> local.offsetFor(tp, timestamp), leader -> broker.vertx().eventBus()
                .<Long>request(PartitionEndpoint.address(leader), Buffer.buffer(),
                        headers(PartitionEndpoint.OFFSET_FOR, tp)
                                .addHeader(PartitionEndpoint.TIMESTAMP, String.valueOf(timestamp)))
                .map(reply -> reply.body()));
    }

    @Override
    public Future<PartitionOffsets> offsets(TopicPartition tp) {
        return route(tp, () -> local.offsets(tp), leader -> broker.vertx().eventBus()
                .<JsonObject>request(PartitionEndpoint.address(leader), Buffer.buffer(),
                        headers(PartitionEndpoint.OFFSETS, tp))
                .map(reply -> new PartitionOffsets(tp.topic(), tp.partition(),
                        reply.body().getLong(PartitionEndpoint.LOG_START),
                        reply.body().getLong(PartitionEndpoint.HIGH_WATERMARK))));
    }

    private interface Remote<T> {
        Future<T> call(int leader);
    }

    private <T> Future<T> route(TopicPartition tp, Supplier<Future<T>> onThisBroker, Remote<T> onLeader) {
        Promise<T> result = Promise.promise();
        attempt(tp, onThisBroker, onLeader, System.currentTimeMillis() + RETRY_FOR_MS, result);
        return result.future();
    }

    private <T> void attempt(TopicPartition tp, Supplier<Future<T>> onThisBroker, Remote<T> onLeader, long deadline,
                             Promise<T> result) {
        Future<T> call;
        try {
            int leader = leaderOf(tp);
            if (leader == PartitionState.NO_LEADER) {
                call = Future.failedFuture(new ApiException(ApiException.Reason.UNAVAILABLE,
                        "Partition " + tp + " has no leader right now"));
            } else {
                call = leader == broker.nodeId() ? onThisBroker.get() : onLeader.call(leader);
            }
        } catch (RuntimeException e) {
            call = Future.failedFuture(e);
        }
        call.onComplete(ar -> {
            if (ar.succeeded()) {
                result.complete(ar.result());
                return;
            }
            ApiException error = translate(ar.cause());
            if (error.reason() == ApiException.Reason.UNAVAILABLE && System.currentTimeMillis() < deadline) {
                broker.vertx().setTimer(RETRY_MS, id -> attempt(tp, onThisBroker, onLeader, deadline, result));
            } else {
                result.fail(error);
            }
        });
    }

    private int leaderOf(TopicPartition tp) {
        return broker.topics().image().topic(tp.topic())
                .filter(t -> tp.partition() >= 0 && tp.partition() < t.partitionCount())
                .map(t -> t.partition(tp.partition()).leader())
                .orElseThrow(() -> broker.topics().image().topic(tp.topic()).isEmpty()
                        ? new ApiException(ApiException.Reason.UNKNOWN_TOPIC, "Topic " + tp.topic() + " does not exist")
                        : ApiErrors.unknownPartition(tp.topic(), tp.partition()));
    }

    private static ApiException translate(Throwable e) {
        if (e instanceof ReplyException r) {
            if (r.failureType() == ReplyFailure.RECIPIENT_FAILURE && r.failureCode() >= 0
                    && r.failureCode() < ApiException.Reason.values().length) {
                return new ApiException(ApiException.Reason.values()[r.failureCode()], r.getMessage());
            }
            return new ApiException(ApiException.Reason.UNAVAILABLE, "The partition's leader did not answer: "
                    + r.getMessage());
        }
        return ApiErrors.of(e);
    }

    private static DeliveryOptions headers(String op, TopicPartition tp) {
        return new DeliveryOptions()
                .addHeader(PartitionEndpoint.OP, op)
                .addHeader(PartitionEndpoint.TOPIC, tp.topic())
                .addHeader(PartitionEndpoint.PARTITION, String.valueOf(tp.partition()));
    }
}
