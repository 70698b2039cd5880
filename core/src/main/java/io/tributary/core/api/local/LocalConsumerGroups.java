package io.tributary.core.api.local;

import io.tributary.core.BrokerServices;
import io.tributary.core.api.ApiException;
import io.tributary.core.api.AssignmentListener;
import io.tributary.core.api.ConsumerGroups;
import io.tributary.core.api.GroupMembership;
import io.tributary.core.group.CommittedOffset;
import io.tributary.core.group.ConsumerMessages;
import io.tributary.core.group.GroupError;
import io.tributary.core.group.OffsetMessages.CommitRequest;
import io.tributary.core.group.OffsetMessages.CommitResult;
import io.tributary.core.group.OffsetMessages.FetchRequest;
import io.tributary.core.group.OffsetMessages.FetchResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@link ConsumerGroups} for the gateways and connectors: members of the consumer group protocol driven from here,
 * talking to the group's coordinator, which in a cluster may be another member (see {@link RoutedGroupCalls}).
 */
public final class LocalConsumerGroups implements ConsumerGroups {

    private final BrokerServices broker;
    private final GroupCalls calls;

    public LocalConsumerGroups(BrokerServices broker) {
        this.broker = broker;
        if (broker.cluster().membership().clustered()) {
            new GroupEndpoint(broker.groups()).register(broker.vertx(), broker.nodeId());
            this.calls = new RoutedGroupCalls(broker);
        } else {
            this.calls = local(broker);
        }
    }

    /** The calls on this broker's own coordinator. */
    private static GroupCalls local(BrokerServices broker) {
        return new GroupCalls() {
            @Override
            public Future<FetchResult> fetchOffsets(FetchRequest request) {
                return broker.groups().fetchOffsets(request);
            }

            @Override
            public Future<CommitResult> commitOffsets(CommitRequest request) {
                return broker.groups().commitOffsets(request);
            }

            @Override
            public Future<ConsumerMessages.HeartbeatResult> consumerGroupHeartbeat(
                    ConsumerMessages.HeartbeatRequest request) {
                return broker.groups().consumerGroupHeartbeat(request);
            }
        };
    }

    @Override
    public Future<GroupMembership> join(String groupId, String clientId, List<String> topics,
                                        AssignmentListener listener) {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Future.failedFuture(new IllegalStateException("join must be called on a Vert.x context"));
        }
        ConsumerGroupMember member = new ConsumerGroupMember(broker, calls, context, groupId, clientId, topics, null,
                listener);
        return member.start().map(member);
    }

    @Override
    public Future<GroupMembership> joinMatching(String groupId, String clientId, String topicRegex,
                                                AssignmentListener listener) {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Future.failedFuture(new IllegalStateException("join must be called on a Vert.x context"));
        }
        if (!validRegex(topicRegex)) {
            return Future.failedFuture(new ApiException(ApiException.Reason.INVALID_REQUEST,
                    "Not a valid regular expression: " + topicRegex));
        }
        ConsumerGroupMember member = new ConsumerGroupMember(broker, calls, context, groupId, clientId, List.of(), topicRegex,
                listener);
        return member.start().map(member);
    }

    static boolean validRegex(String regex) {
        try {
            Pattern.compile(regex);
            return !regex.isEmpty();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    @Override
    public Future<Map<TopicPartition, Long>> committed(String groupId, Collection<TopicPartition> partitions) {
        return calls.fetchOffsets(new FetchRequest(groupId, null, -1, new ArrayList<>(partitions)))
                .compose(result -> {
                    if (result.error() != GroupError.NONE) {
                        return Future.failedFuture(groupError(result.error(), groupId));
                    }
                    Map<TopicPartition, Long> offsets = new HashMap<>();
                    result.offsets().forEach((tp, committed) -> offsets.put(tp, committed.offset()));
                    return Future.succeededFuture(offsets);
                });
    }

    @Override
    public Future<Void> commit(String groupId, Map<TopicPartition, Long> offsets) {
        return commit(broker, calls, groupId, -1, null, false, offsets);
    }

    static Future<Void> commit(BrokerServices broker, GroupCalls calls, String groupId, int epoch, String memberId,
                               boolean modern, Map<TopicPartition, Long> offsets) {
        long now = broker.clock().millis();
        Map<TopicPartition, CommittedOffset> committed = new HashMap<>();
        offsets.forEach((tp, offset) -> committed.put(tp, new CommittedOffset(offset, -1, "", now)));
        return calls.commitOffsets(new CommitRequest(groupId, epoch, memberId, null, modern, committed))
                .compose(result -> {
                    for (TopicPartition tp : offsets.keySet()) {
                        GroupError error = result.errorOf(tp);
                        if (error != GroupError.NONE) {
                            return Future.failedFuture(groupError(error, groupId));
                        }
                    }
                    return Future.succeededFuture();
                });
    }

    static ApiException groupError(GroupError error, String groupId) {
        ApiException.Reason reason = switch (error) {
            case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS -> ApiException.Reason.UNAVAILABLE;
            case UNKNOWN_TOPIC_OR_PARTITION -> ApiException.Reason.UNKNOWN_PARTITION;
            default -> ApiException.Reason.GROUP_ERROR;
        };
        return new ApiException(reason, "Group " + groupId + ": " + error);
    }
}
