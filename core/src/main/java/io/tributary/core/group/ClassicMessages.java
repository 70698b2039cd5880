package io.tributary.core.group;

import java.util.List;
import java.util.Map;

/** Requests and results of the classic group protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup). */
public final class ClassicMessages {

    private ClassicMessages() {
    }

    /** One assignment protocol a member supports, with its opaque metadata (for consumers: the subscription). */
    public record Protocol(String name, byte[] metadata) {
    }

    /**
     * @param memberId             empty on a member's first join
     * @param instanceId           group.instance.id of a static member, else null
     * @param requireKnownMemberId JoinGroup v4+: a new member first gets MEMBER_ID_REQUIRED and its id
     * @param supportsSkipAssignment JoinGroup v9+: a rejoining static leader may be told to skip assigning
     */
    public record JoinRequest(String groupId, String memberId, String instanceId, String protocolType,
                              List<Protocol> protocols, int sessionTimeoutMs, int rebalanceTimeoutMs,
                              boolean requireKnownMemberId, boolean supportsSkipAssignment, String clientId,
                              String clientHost) {
    }

    /** A member as the leader sees it in its JoinGroup response. */
    public record JoinedMember(String memberId, String instanceId, byte[] metadata) {
    }

    /** @param members every member with its metadata for the leader; empty for followers */
    public record JoinResult(GroupError error, int generation, String protocolType, String protocolName,
                             String leaderId, String memberId, List<JoinedMember> members, boolean skipAssignment) {

        public static JoinResult error(GroupError error, String memberId) {
            return new JoinResult(error, -1, null, null, "", memberId, List.of(), false);
        }
    }

    /** @param assignments the leader's assignment per member id; empty from followers */
    public record SyncRequest(String groupId, int generation, String memberId, String instanceId,
                              String protocolType, String protocolName, Map<String, byte[]> assignments) {
    }

    public record SyncResult(GroupError error, String protocolType, String protocolName, byte[] assignment) {

        public static SyncResult error(GroupError error) {
            return new SyncResult(error, null, null, ClassicMember.NO_BYTES);
        }
    }

    public record HeartbeatRequest(String groupId, int generation, String memberId, String instanceId) {
    }

    /** A member leaving: by member id, or by instance id for a static member (then member id may be empty). */
    public record MemberIdentity(String memberId, String instanceId) {
    }

    public record LeaveRequest(String groupId, List<MemberIdentity> members) {
    }

    public record MemberLeft(String memberId, String instanceId, GroupError error) {
    }

    public record LeaveResult(GroupError error, List<MemberLeft> members) {
    }
}
