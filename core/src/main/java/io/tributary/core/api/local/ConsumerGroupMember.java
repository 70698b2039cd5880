package io.tributary.core.api.local;

import io.tributary.core.BrokerServices;
import io.tributary.core.api.ApiException;
import io.tributary.core.api.AssignmentListener;
import io.tributary.core.api.GroupMembership;
import io.tributary.core.group.Assignment;
import io.tributary.core.group.ConsumerMessages.HeartbeatRequest;
import io.tributary.core.group.ConsumerMessages.HeartbeatResult;
import io.tributary.core.group.GroupError;
import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.metadata.TopicInfo;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A member of a group under the consumer group protocol (KIP-848), driven from inside the broker: it
 * heartbeats on its context, adopts the assignment the coordinator computes, and gives partitions up
 * only once its listener has finished with them, exactly as a Kafka consumer does. All state is
 * confined to the joining context.
 */
final class ConsumerGroupMember implements GroupMembership {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupMember.class);
    private static final int REBALANCE_TIMEOUT_MS = 60_000;
    private static final int RETRY_MS = 1_000;

    private final BrokerServices broker;
    private final GroupCalls calls;
    private final Context context;
    private final String groupId;
    private final String clientId;
    private final AssignmentListener listener;
    private final String memberId = Uuid.randomUuid().toString();
    private List<String> topics;
    /** The topic regex subscribed to, or null for a subscription by names. */
    private String topicRegex;
    private int epoch;
    private Set<TopicPartition> owned = Set.of();
    private long timer = -1;
    private boolean reconciling;
    private boolean left;

    ConsumerGroupMember(BrokerServices broker, GroupCalls calls, Context context, String groupId, String clientId, List<String> topics,
                        String topicRegex, AssignmentListener listener) {
        this.broker = broker;
        this.calls = calls;
        this.context = context;
        this.groupId = groupId;
        this.clientId = clientId;
        this.topics = List.copyOf(topics);
        this.topicRegex = topicRegex;
        this.listener = listener;
    }

    /** Joins; completes after the first heartbeat, with or without an assignment yet. */
    Future<Void> start() {
        return heartbeat().compose(result -> result.error() == GroupError.NONE ? Future.succeededFuture()
                : Future.failedFuture(LocalConsumerGroups.groupError(result.error(), groupId)));
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public String memberId() {
        return memberId;
    }

    @Override
    public Set<TopicPartition> assignment() {
        return Collections.unmodifiableSet(owned);
    }

    @Override
    public void subscribe(List<String> newTopics) {
        context.runOnContext(v -> {
            topics = List.copyOf(newTopics);
            topicRegex = null;
            scheduleHeartbeat(0);
        });
    }

    @Override
    public void subscribeMatching(String regex) {
        if (!LocalConsumerGroups.validRegex(regex)) {
            throw new ApiException(ApiException.Reason.INVALID_REQUEST, "Not a valid regular expression: " + regex);
        }
        context.runOnContext(v -> {
            topics = List.of();
            topicRegex = regex;
            scheduleHeartbeat(0);
        });
    }

    @Override
    public Future<Void> commit(Map<TopicPartition, Long> offsets) {
        return LocalConsumerGroups.commit(broker, calls, groupId, epoch, memberId, true, offsets);
    }

    @Override
    public Future<Void> leave() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            if (left) {
                done.complete();
                return;
            }
            left = true;
            cancelTimer();
            Set<TopicPartition> releasing = owned;
            Future<Void> revoked = releasing.isEmpty() ? Future.succeededFuture() : listener.onRevoked(releasing);
            revoked.recover(e -> Future.succeededFuture())
                    .compose(x -> calls.consumerGroupHeartbeat(request(-1)))
                    .onComplete(ar -> {
                        owned = Set.of();
                        done.complete();
                    });
        });
        return done.future();
    }

    private Future<HeartbeatResult> heartbeat() {
        cancelTimer();
        return calls.consumerGroupHeartbeat(request(epoch))
                .andThen(ar -> context.runOnContext(v -> {
                    if (ar.succeeded()) {
                        onHeartbeat(ar.result());
                    } else {
                        LOG.warn("Heartbeat of member {} in group {} failed", memberId, groupId, ar.cause());
                        scheduleHeartbeat(RETRY_MS);
                    }
                }));
    }

    private HeartbeatRequest request(int memberEpoch) {
        // Both fields are sent every time: an empty regex clears one set before (a switch back to names).
        return new HeartbeatRequest(groupId, memberId, memberEpoch, null, null, REBALANCE_TIMEOUT_MS, topics,
                topicRegex == null ? "" : topicRegex, null, toAssignment(owned), true, clientId, "gateway");
    }

    private void onHeartbeat(HeartbeatResult result) {
        if (left) {
            return;
        }
        switch (result.error()) {
            case NONE -> {
                epoch = result.memberEpoch();
                if (result.assignment() != null) {
                    reconcile(toPartitions(result.assignment()));
                }
                scheduleHeartbeat(result.heartbeatIntervalMs());
            }
            case FENCED_MEMBER_EPOCH, UNKNOWN_MEMBER_ID -> {
                // The coordinator has dropped this member: its partitions may already be someone else's.
                LOG.info("Member {} of group {} was fenced ({}); rejoining", memberId, groupId, result.error());
                Set<TopicPartition> lost = owned;
                owned = Set.of();
                epoch = 0;
                if (!lost.isEmpty()) {
                    listener.onRevoked(lost);
                }
                scheduleHeartbeat(0);
            }
            default -> scheduleHeartbeat(RETRY_MS);
        }
    }

    /** Gives up what is no longer assigned (after the listener is done with it), then takes on the new. */
    private void reconcile(Set<TopicPartition> target) {
        if (reconciling) {
            return; // the next heartbeat after this reconciliation brings the latest target again
        }
        Set<TopicPartition> revoked = new HashSet<>(owned);
        revoked.removeAll(target);
        Set<TopicPartition> added = new HashSet<>(target);
        added.removeAll(owned);
        if (revoked.isEmpty() && added.isEmpty()) {
            return;
        }
        reconciling = true;
        Future<Void> released = revoked.isEmpty() ? Future.succeededFuture() : listener.onRevoked(revoked);
        released.recover(e -> Future.succeededFuture()).onComplete(ar -> context.runOnContext(v -> {
            reconciling = false;
            if (left) {
                return;
            }
            Set<TopicPartition> next = new HashSet<>(owned);
            next.removeAll(revoked);
            next.addAll(added);
            owned = Set.copyOf(next);
            if (!added.isEmpty()) {
                listener.onAssigned(Collections.unmodifiableSet(added));
            }
            // Acknowledge at once, so partitions this member released reach their next owner quickly.
            scheduleHeartbeat(0);
        }));
    }

    private void scheduleHeartbeat(long delayMs) {
        if (left) {
            return;
        }
        cancelTimer();
        if (delayMs <= 0) {
            context.runOnContext(v -> {
                if (!left) {
                    heartbeat();
                }
            });
        } else {
            timer = broker.vertx().setTimer(delayMs, id -> {
                timer = -1;
                heartbeat();
            });
        }
    }

    private void cancelTimer() {
        if (timer >= 0) {
            broker.vertx().cancelTimer(timer);
            timer = -1;
        }
    }

    private Set<TopicPartition> toPartitions(Assignment assignment) {
        MetadataImage image = broker.topics().image();
        Set<TopicPartition> partitions = new HashSet<>();
        for (Uuid topicId : assignment.topics()) {
            Optional<TopicInfo> topic = image.topic(topicId);
            topic.ifPresent(t -> assignment.partitions(topicId)
                    .forEach(p -> partitions.add(new TopicPartition(t.name(), p))));
        }
        return partitions;
    }

    private Assignment toAssignment(Set<TopicPartition> partitions) {
        MetadataImage image = broker.topics().image();
        Assignment.Builder builder = new Assignment.Builder();
        for (TopicPartition tp : partitions) {
            image.topic(tp.topic()).ifPresent(t -> builder.add(t.id(), tp.partition()));
        }
        return builder.build();
    }
}
