package io.tributary.core.txn;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.MultiMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The transaction calls that cross members in a cluster, on each member's event bus address: a coordinator
 * writing a transaction marker into a partition another member leads (Kafka's WriteTxnMarkers), and a partition
 * leader asking the transactional id's coordinator on another member whether a produce belongs to the
 * producer's open transaction (Kafka's produce verification). Only ids, epochs and an outcome travel.
 */
final class TxnPeers {

    static final String ADDRESS_PREFIX = "tributary.txn.";
    private static final long TIMEOUT_MS = 15_000;

    private static final String OP = "op";
    private static final String MARKER = "marker";
    private static final String VERIFY = "verify";
    private static final String TOPIC = "topic";
    private static final String PARTITION = "partition";
    private static final String PRODUCER_ID = "producerId";
    private static final String EPOCH = "epoch";
    private static final String COMMIT = "commit";
    private static final String COORDINATOR_EPOCH = "coordinatorEpoch";
    private static final String TRANSACTIONAL_ID = "transactionalId";

    /** What this member does for the others. */
    interface Local {
        Future<Void> writeMarker(TopicPartition tp, long producerId, short epoch, boolean commit, int coordinatorEpoch);

        Future<TxnError> verify(String transactionalId, long producerId, short epoch, TopicPartition tp);
    }

    private final Vertx vertx;

    TxnPeers(Vertx vertx) {
        this.vertx = vertx;
    }

    static String address(int nodeId) {
        return ADDRESS_PREFIX + nodeId;
    }

    /** Serves the other members' calls on this member's address. */
    MessageConsumer<Buffer> serve(int nodeId, Local local) {
        return vertx.eventBus().consumer(address(nodeId), message -> handle(message, local));
    }

    /** Writes a marker into {@code tp} on {@code leader}; fails if that member could not (the caller retries). */
    Future<Void> writeMarker(int leader, TopicPartition tp, long producerId, short epoch, boolean commit,
                             int coordinatorEpoch) {
        DeliveryOptions options = options(MARKER, tp)
                .addHeader(PRODUCER_ID, String.valueOf(producerId))
                .addHeader(EPOCH, String.valueOf(epoch))
                .addHeader(COMMIT, String.valueOf(commit))
                .addHeader(COORDINATOR_EPOCH, String.valueOf(coordinatorEpoch));
        return vertx.eventBus().request(address(leader), Buffer.buffer(), options).mapEmpty();
    }

    /** Asks the coordinator on {@code coordinator} to verify a transactional produce to {@code tp}. */
    Future<TxnError> verify(int coordinator, String transactionalId, long producerId, short epoch,
                            TopicPartition tp) {
        DeliveryOptions options = options(VERIFY, tp)
                .addHeader(TRANSACTIONAL_ID, transactionalId)
                .addHeader(PRODUCER_ID, String.valueOf(producerId))
                .addHeader(EPOCH, String.valueOf(epoch));
        return vertx.eventBus().<String>request(address(coordinator), Buffer.buffer(), options)
                .map(reply -> TxnError.valueOf(reply.body()));
    }

    private static DeliveryOptions options(String op, TopicPartition tp) {
        return new DeliveryOptions().setSendTimeout(TIMEOUT_MS)
                .addHeader(OP, op)
                .addHeader(TOPIC, tp.topic())
                .addHeader(PARTITION, String.valueOf(tp.partition()));
    }

    private static void handle(Message<Buffer> message, Local local) {
        MultiMap h = message.headers();
        Future<?> work;
        try {
            TopicPartition tp = new TopicPartition(h.get(TOPIC), Integer.parseInt(h.get(PARTITION)));
            long producerId = Long.parseLong(h.get(PRODUCER_ID));
            short epoch = Short.parseShort(h.get(EPOCH));
            work = switch (h.get(OP)) {
                case MARKER -> local.writeMarker(tp, producerId, epoch, Boolean.parseBoolean(h.get(COMMIT)),
                        Integer.parseInt(h.get(COORDINATOR_EPOCH))).onSuccess(v -> message.reply(""));
                case VERIFY -> local.verify(h.get(TRANSACTIONAL_ID), producerId, epoch, tp)
                        .onSuccess(error -> message.reply(error.name()));
                default -> Future.failedFuture("unknown op " + h.get(OP));
            };
        } catch (RuntimeException e) {
            work = Future.failedFuture(e);
        }
        work.onFailure(e -> message.fail(0, String.valueOf(e.getMessage())));
    }
}
