package io.tributary.gateway.mqtt;

import io.tributary.core.api.AssignmentListener;
import io.tributary.core.api.GroupMembership;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The $share/{group}/{filter} subscriptions of one connected client. Each is a member of the consumer group
 * {@code mqtt-share.{group}.{filter}}: the coordinator balances the filter's partitions over the members, each
 * member reads only its own partitions, and positions are committed to the group so a partition that moves
 * continues where the last member stopped.
 */
final class SharedSubscriptions {

    private final GatewayServices gw;
    private final Session session;
    private final SessionDelivery delivery;
    private final Map<String, Member> members = new HashMap<>();

    SharedSubscriptions(GatewayServices gw, Session session, SessionDelivery delivery) {
        this.gw = gw;
        this.session = session;
        this.delivery = delivery;
    }

    static String groupId(Subscription sub) {
        return "mqtt-share." + sub.shareGroup() + "." + sub.filter();
    }

    /** Joins groups for new shared subscriptions, leaves those unsubscribed, and follows topic changes. */
    void refresh() {
        for (Subscription sub : session.subscriptions.values()) {
            if (!sub.shared()) {
                continue;
            }
            List<String> topics = List.copyOf(gw.mapping().kafkaTopicsFor(sub.filter(), gw.catalog().names()));
            Member member = members.get(sub.key());
            if (member == null) {
                member = new Member(sub, topics);
                members.put(sub.key(), member);
                member.join();
            } else if (!member.topics.equals(topics)) {
                member.topics = topics;
                if (member.membership != null) {
                    member.membership.subscribe(topics);
                }
            }
        }
        for (String key : new ArrayList<>(members.keySet())) {
            if (!session.subscriptions.containsKey(key)) {
                members.remove(key).leave();
            }
        }
    }

    void resume() {
        members.values().forEach(m -> m.readers.values().forEach(PartitionReader::resume));
    }

    /** Commits each member's positions: the cursor, or the first message not yet completed by the client. */
    void syncPositions(Collection<OutboundMessage> queued) {
        for (Member m : members.values()) {
            m.commit(queued);
        }
    }

    void stop() {
        members.values().forEach(Member::leave);
        members.clear();
    }

    private final class Member implements AssignmentListener {
        final Subscription sub;
        List<String> topics;
        GroupMembership membership;
        boolean left;
        final Map<TopicPartition, PartitionReader> readers = new HashMap<>();

        Member(Subscription sub, List<String> topics) {
            this.sub = sub;
            this.topics = topics;
        }

        void join() {
            gw.api().groups().join(groupId(sub), session.clientId(), topics, this).onSuccess(m -> {
                membership = m;
                if (left) {
                    m.leave();
                }
            });
        }

        @Override
        public void onAssigned(Set<TopicPartition> partitions) {
            gw.api().groups().committed(groupId(sub), partitions).onSuccess(committed -> {
                for (TopicPartition tp : partitions) {
                    if (left || readers.containsKey(tp)) {
                        continue;
                    }
                    // Without a committed position the group starts where the subscription was made.
                    long start = committed.getOrDefault(tp, sub.fromOffset(tp));
                    PartitionReader reader = new PartitionReader(gw.vertx(), gw.api().records(), tp, start,
                            r -> delivery.enqueueShared(sub, tp, r), delivery::hasRoom, cursor -> delivery.onRead());
                    readers.put(tp, reader);
                    reader.resume();
                }
            });
        }

        @Override
        public Future<Void> onRevoked(Set<TopicPartition> partitions) {
            Map<TopicPartition, Long> positions = new HashMap<>();
            for (TopicPartition tp : partitions) {
                PartitionReader reader = readers.remove(tp);
                if (reader != null) {
                    reader.stop();
                    positions.put(tp, reader.cursor());
                }
            }
            if (membership == null || positions.isEmpty()) {
                return Future.succeededFuture();
            }
            return membership.commit(positions).recover(e -> Future.succeededFuture());
        }

        void commit(Collection<OutboundMessage> queued) {
            if (membership == null || readers.isEmpty()) {
                return;
            }
            Map<TopicPartition, Long> positions = new HashMap<>();
            readers.forEach((tp, reader) -> positions.put(tp, reader.cursor()));
            for (OutboundMessage m : queued) {
                if (m.source() != null && positions.containsKey(m.source())) {
                    positions.merge(m.source(), m.offset(), Math::min);
                }
            }
            for (OutboundMessage m : session.inflight.values()) {
                if (m.source() != null && positions.containsKey(m.source())) {
                    positions.merge(m.source(), m.offset(), Math::min);
                }
            }
            membership.commit(positions);
        }

        void leave() {
            left = true;
            readers.values().forEach(PartitionReader::stop);
            Map<TopicPartition, Long> positions = new HashMap<>();
            readers.forEach((tp, reader) -> positions.put(tp, reader.cursor()));
            readers.clear();
            if (membership != null) {
                Future<Void> committed = positions.isEmpty() ? Future.succeededFuture()
                        : membership.commit(positions).recover(e -> Future.succeededFuture());
                committed.onComplete(ar -> membership.leave());
            }
        }
    }
}
