package io.tributary.core.api.local;

import io.tributary.core.BrokerServices;
import io.tributary.core.group.ConsumerMessages.HeartbeatRequest;
import io.tributary.core.group.ConsumerMessages.HeartbeatResult;
import io.tributary.core.group.GroupCoordinator;
import io.tributary.core.group.GroupError;
import io.tributary.core.group.OffsetMessages.CommitRequest;
import io.tributary.core.group.OffsetMessages.CommitResult;
import io.tributary.core.group.OffsetMessages.FetchRequest;
import io.tributary.core.group.OffsetMessages.FetchResult;
import io.tributary.core.metadata.PartitionState;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;

import java.util.Map;
import java.util.function.Function;

/**
 * {@link GroupCalls} for a clustered broker: a group's calls go to its coordinator, the leader of its
 * __consumer_offsets partition; this broker's own groups directly, the others' through {@link GroupEndpoint}. A
 * coordinator that cannot be reached answers as Kafka's would (COORDINATOR_NOT_AVAILABLE): the members retry.
 */
final class RoutedGroupCalls implements GroupCalls {

    private final BrokerServices broker;

    RoutedGroupCalls(BrokerServices broker) {
        this.broker = broker;
    }

    @Override
    public Future<FetchResult> fetchOffsets(FetchRequest request) {
        return route(request.groupId(), GroupEndpoint.FETCH, request, FetchResult.class,
                broker.groups()::fetchOffsets, error -> new FetchResult(error, Map.of()));
    }

    @Override
    public Future<CommitResult> commitOffsets(CommitRequest request) {
        return route(request.groupId(), GroupEndpoint.COMMIT, request, CommitResult.class,
                broker.groups()::commitOffsets, error -> new CommitResult(error, Map.of()));
    }

    @Override
    public Future<HeartbeatResult> consumerGroupHeartbeat(HeartbeatRequest request) {
        return route(request.groupId(), GroupEndpoint.HEARTBEAT, request, HeartbeatResult.class,
                broker.groups()::consumerGroupHeartbeat,
                error -> new HeartbeatResult(error, "the group coordinator is not reachable", null, 0, 0, null));
    }

    private <Q, R> Future<R> route(String groupId, String op, Q request, Class<R> resultType,
                                   Function<Q, Future<R>> local, Function<GroupError, R> unavailable) {
        int coordinator = coordinatorOf(groupId);
        if (coordinator == PartitionState.NO_LEADER) {
            return Future.succeededFuture(unavailable.apply(GroupError.COORDINATOR_NOT_AVAILABLE));
        }
        if (coordinator == broker.nodeId()) {
            return local.apply(request);
        }
        return broker.vertx().eventBus().<String>request(GroupEndpoint.address(coordinator),
                        GroupMessagesJson.encode(request), new DeliveryOptions().addHeader(GroupEndpoint.OP, op))
                .map(reply -> GroupMessagesJson.decode(reply.body(), resultType))
                .recover(e -> Future.succeededFuture(unavailable.apply(GroupError.COORDINATOR_NOT_AVAILABLE)));
    }

    private int coordinatorOf(String groupId) {
        if (groupId == null) {
            return broker.nodeId();
        }
        int partition = broker.groups().partitionFor(groupId);
        return broker.topics().image().topic(GroupCoordinator.OFFSETS_TOPIC)
                .filter(t -> partition < t.partitionCount())
                .map(t -> t.partition(partition).leader())
                .orElse(PartitionState.NO_LEADER);
    }
}
