package io.tributary.core.api.local;

import io.tributary.core.api.ApiException;
import io.tributary.core.api.PartitionOffsets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.MultiMap;
import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;

/**
 * Serves the partitions this broker leads to the gateways and connectors of the other members: appends, reads and
 * offset lookups arrive on this broker's event bus address and run on its {@link LocalPartitionAccess}. Only
 * record bytes and offsets travel.
 */
final class PartitionEndpoint {

    static final String ADDRESS_PREFIX = "tributary.partitions.";

    static final String OP = "op";
    static final String APPEND = "append";
    static final String READ = "read";
    static final String OFFSET_FOR = "offsetFor";
    static final String OFFSETS = "offsets";
    static final String TOPIC = "topic";
    static final String PARTITION = "partition";
    static final String OFFSET = "offset";
    static final String MAX_BYTES = "maxBytes";
    static final String MAX_WAIT_MS = "maxWaitMs";
    static final String TIMESTAMP = "timestamp";
    static final String HIGH_WATERMARK = "highWatermark";
    static final String LOG_START = "logStart";
    static final String BASE_OFFSET = "baseOffset";
    static final String LOG_APPEND_TIME = "logAppendTime";

    private final LocalPartitionAccess local;

    PartitionEndpoint(LocalPartitionAccess local) {
        this.local = local;
    }

    static String address(int nodeId) {
        return ADDRESS_PREFIX + nodeId;
    }

    MessageConsumer<Buffer> register(Vertx vertx, int nodeId) {
        return vertx.eventBus().consumer(address(nodeId), this::handle);
    }

    private void handle(Message<Buffer> message) {
        MultiMap h = message.headers();
        TopicPartition tp = new TopicPartition(h.get(TOPIC), Integer.parseInt(h.get(PARTITION)));
        Future<?> work;
        try {
            work = switch (h.get(OP)) {
                case APPEND -> local.append(tp, ByteBuffer.wrap(message.body().getBytes())).map(a -> {
                    message.reply(new JsonObject().put(BASE_OFFSET, a.baseOffset()).put(LOG_APPEND_TIME,
                            a.logAppendTime()));
                    return null;
                });
                case READ -> local.read(tp, Long.parseLong(h.get(OFFSET)), Integer.parseInt(h.get(MAX_BYTES)),
                        Long.parseLong(h.get(MAX_WAIT_MS))).map(read -> {
                    Buffer body = read.records() == null ? Buffer.buffer() : Buffer.buffer(bytes(read.records()));
                    message.reply(body, new DeliveryOptions()
                            .addHeader(OFFSET, String.valueOf(read.offset()))
                            .addHeader(HIGH_WATERMARK, String.valueOf(read.highWatermark()))
                            .addHeader(LOG_START, String.valueOf(read.logStartOffset())));
                    return null;
                });
                case OFFSET_FOR -> local.offsetFor(tp, Long.parseLong(h.get(TIMESTAMP))).map(offset -> {
                    message.reply(offset);
                    return null;
                });
                case OFFSETS -> local.offsets(tp).map(o -> {
                    message.reply(toJson(o));
                    return null;
                });
                default -> Future.failedFuture("unknown op " + h.get(OP));
            };
        } catch (RuntimeException e) {
            work = Future.failedFuture(e);
        }
        work.onFailure(e -> {
            var api = ApiErrors.of(e);
            // The caller routed here because its metadata names this broker the leader: a topic or partition
            // unknown here means this broker has not applied that metadata yet, which a retry outlives.
            var reason = api.reason() == ApiException.Reason.UNKNOWN_TOPIC
                    || api.reason() == ApiException.Reason.UNKNOWN_PARTITION ? ApiException.Reason.UNAVAILABLE
                    : api.reason();
            message.fail(reason.ordinal(), api.getMessage());
        });
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    static JsonObject toJson(PartitionOffsets o) {
        return new JsonObject().put(TOPIC, o.topic()).put(PARTITION, o.partition())
                .put(LOG_START, o.logStartOffset()).put(HIGH_WATERMARK, o.highWatermark());
    }
}
