package io.tributary.core.api.local;

import io.tributary.core.group.ConsumerMessages.HeartbeatRequest;
import io.tributary.core.group.GroupCoordinator;
import io.tributary.core.group.OffsetMessages.CommitRequest;
import io.tributary.core.group.OffsetMessages.FetchRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;

/**
 * Serves the groups this broker coordinates to the gateway and connector group members of the other members:
 * offset fetches and commits and consumer-protocol heartbeats, as JSON on this broker's event bus address.
 */
final class GroupEndpoint {

    static final String ADDRESS_PREFIX = "tributary.groups.";
    static final String OP = "op";
    static final String FETCH = "fetch";
    static final String COMMIT = "commit";
    static final String HEARTBEAT = "heartbeat";

    private final GroupCoordinator groups;

    GroupEndpoint(GroupCoordinator groups) {
        this.groups = groups;
    }

    static String address(int nodeId) {
        return ADDRESS_PREFIX + nodeId;
    }

    void register(Vertx vertx, int nodeId) {
        vertx.eventBus().<String>consumer(address(nodeId), this::handle);
    }

    private void handle(Message<String> message) {
        Future<?> result;
        try {
            result = switch (message.headers().get(OP)) {
                case FETCH -> groups.fetchOffsets(GroupMessagesJson.decode(message.body(), FetchRequest.class));
                case COMMIT -> groups.commitOffsets(GroupMessagesJson.decode(message.body(), CommitRequest.class));
                case HEARTBEAT -> groups.consumerGroupHeartbeat(
                        GroupMessagesJson.decode(message.body(), HeartbeatRequest.class));
                default -> Future.failedFuture("unknown op " + message.headers().get(OP));
            };
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onSuccess(reply -> message.reply(GroupMessagesJson.encode(reply)))
                .onFailure(e -> message.fail(0, String.valueOf(e.getMessage())));
    }
}
