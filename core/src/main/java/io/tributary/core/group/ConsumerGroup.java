package io.tributary.core.group;

import org.apache.kafka.common.Uuid;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state of a consumer-protocol (KIP-848) group: the group epoch (bumped by every membership or
 * subscription change), the target assignment computed at the assignment epoch, and each member's
 * progress towards its target. {@link ConsumerGroupCoordinator} drives it.
 */
final class ConsumerGroup implements Group {

    private final String groupId;
    int groupEpoch;
    int assignmentEpoch;
    final Map<String, ConsumerMember> members = new LinkedHashMap<>();
    /** The assignment each member is moving towards, computed at {@link #assignmentEpoch}. */
    final Map<String, Assignment> target = new HashMap<>();
    /** Partition counts (and ids) of the subscribed topics when the target was computed. */
    Map<String, TopicLookup.TopicMetadata> subscriptionMetadata = Map.of();
    String assignorName;

    ConsumerGroup(String groupId) {
        this.groupId = groupId;
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public GroupType type() {
        return GroupType.CONSUMER;
    }

    @Override
    public String stateName() {
        if (members.isEmpty()) {
            return "Empty";
        }
        if (groupEpoch > assignmentEpoch) {
            return "Assigning";
        }
        for (ConsumerMember m : members.values()) {
            if (m.memberEpoch != assignmentEpoch || m.state != MemberState.STABLE) {
                return "Reconciling";
            }
        }
        return "Stable";
    }

    @Override
    public boolean isEmpty() {
        return members.isEmpty();
    }

    @Override
    public String protocolType() {
        return "consumer";
    }

    ConsumerMember member(String memberId) {
        return members.get(memberId);
    }

    Collection<ConsumerMember> members() {
        return members.values();
    }

    ConsumerMember staticMember(String instanceId) {
        if (instanceId == null) {
            return null;
        }
        for (ConsumerMember m : members.values()) {
            if (instanceId.equals(m.instanceId)) {
                return m;
            }
        }
        return null;
    }

    Assignment targetOf(String memberId) {
        return target.getOrDefault(memberId, Assignment.EMPTY);
    }

    /** True when another member than {@code memberId} still holds the partition. */
    boolean heldByOther(String memberId, Uuid topic, int partition) {
        for (ConsumerMember m : members.values()) {
            if (!m.memberId().equals(memberId)
                    && (m.assigned.contains(topic, partition) || m.pendingRevocation.contains(topic, partition))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void shutdown(GroupError error) {
        // Heartbeats are answered at once; nothing is parked.
    }
}
