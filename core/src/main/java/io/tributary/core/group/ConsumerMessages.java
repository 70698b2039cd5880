package io.tributary.core.group;

import java.util.List;

/** Requests and results of the consumer group protocol (ConsumerGroupHeartbeat, ConsumerGroupDescribe). */
public final class ConsumerMessages {

    private ConsumerMessages() {
    }

    /**
     * Null fields mean "unchanged since the last heartbeat", as on the wire.
     *
     * @param memberEpoch            0 to join, -1 to leave, -2 for a static member leaving temporarily
     * @param clientGeneratesMemberId ConsumerGroupHeartbeat v1+: the member id comes from the client
     * @param owned                  the partitions the member owns now, or null when not sent
     */
    public record HeartbeatRequest(String groupId, String memberId, int memberEpoch, String instanceId, String rackId,
                                   int rebalanceTimeoutMs, List<String> subscribedTopicNames,
                                   String subscribedTopicRegex, String serverAssignor, Assignment owned,
                                   boolean clientGeneratesMemberId, String clientId, String clientHost) {
    }

    /** @param assignment the member's assignment when it changed (or the request was a full one), else null */
    public record HeartbeatResult(GroupError error, String errorMessage, String memberId, int memberEpoch,
                                  int heartbeatIntervalMs, Assignment assignment) {

        static HeartbeatResult error(GroupError error, String message) {
            return new HeartbeatResult(error, message, null, 0, 0, null);
        }
    }

    public record MemberDescription(String memberId, String instanceId, String rackId, int memberEpoch,
                                    String clientId, String clientHost, List<String> subscribedTopicNames,
                                    String subscribedTopicRegex, Assignment assignment, Assignment targetAssignment) {
    }

    public record GroupDescription(String groupId, GroupError error, String errorMessage, String state,
                                   int groupEpoch, int assignmentEpoch, String assignorName,
                                   List<MemberDescription> members) {

        static GroupDescription error(String groupId, GroupError error, String message) {
            return new GroupDescription(groupId, error, message, "Dead", -1, -1, "", List.of());
        }
    }
}
