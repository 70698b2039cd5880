package io.tributary.core.group;

import java.util.List;

/** Results of ListGroups, DescribeGroups and DeleteGroups. */
public final class AdminMessages {

    private AdminMessages() {
    }

    public record GroupListing(String groupId, String protocolType, String state, GroupType type) {
    }

    /**
     * A member as DescribeGroups shows it; metadata and assignment are only filled in while a classic
     * group is stable (Kafka's behaviour).
     */
    public record MemberDescription(String memberId, String instanceId, String clientId, String clientHost,
                                    byte[] metadata, byte[] assignment) {
    }

    /** @param protocolData the chosen protocol (classic), or the assignor name (consumer groups) */
    public record GroupDescription(String groupId, GroupError error, String state, String protocolType,
                                   String protocolData, List<MemberDescription> members) {

        static GroupDescription dead(String groupId, GroupError error) {
            return new GroupDescription(groupId, error, "Dead", "", "", List.of());
        }
    }
}
