package io.tributary.core.group;

import io.tributary.core.group.ClassicMessages.Protocol;
import io.tributary.core.group.ClassicMessages.SyncResult;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of one classic-protocol group: members, generation, chosen protocol and leader. It only
 * holds state and enforces legal transitions; {@link ClassicGroupCoordinator} drives the protocol.
 */
final class ClassicGroup implements Group {

    private final String groupId;
    private ClassicGroupState state = ClassicGroupState.EMPTY;
    private int generation;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private final Map<String, ClassicMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED, waiting for the member's second JoinGroup. */
    private final Map<String, Long> pendingMembers = new HashMap<>();
    /** Members that got their JoinGroup response but have not sent SyncGroup yet. */
    final Set<String> pendingSync = new HashSet<>();
    long rebalanceTimer = -1;
    long syncTimer = -1;
    /** True while the initial rebalance delay of a new group runs; joins extend it. */
    boolean initialDelayActive;
    boolean newMemberAdded;

    ClassicGroup(String groupId) {
        this.groupId = groupId;
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public GroupType type() {
        return GroupType.CLASSIC;
    }

    @Override
    public String stateName() {
        return state.displayName();
    }

    @Override
    public boolean isEmpty() {
        return members.isEmpty();
    }

    @Override
    public String protocolType() {
        return protocolType == null ? "" : protocolType;
    }

    ClassicGroupState state() {
        return state;
    }

    boolean isIn(ClassicGroupState s) {
        return state == s;
    }

    void transitionTo(ClassicGroupState next) {
        if (!next.canFollow(state)) {
            throw new IllegalStateException("Group " + groupId + " cannot go from " + state + " to " + next);
        }
        state = next;
    }

    int generation() {
        return generation;
    }

    String protocolName() {
        return protocolName;
    }

    String leaderId() {
        return leaderId;
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    // ---- members

    ClassicMember member(String memberId) {
        return members.get(memberId);
    }

    Collection<ClassicMember> members() {
        return members.values();
    }

    int size() {
        return members.size();
    }

    String staticMemberId(String instanceId) {
        return instanceId == null ? null : staticMembers.get(instanceId);
    }

    void add(ClassicMember member) {
        members.put(member.memberId(), member);
        if (member.isStatic()) {
            staticMembers.put(member.instanceId(), member.memberId());
        }
        if (leaderId == null) {
            leaderId = member.memberId();
        }
    }

    void setProtocolType(String type) {
        this.protocolType = type;
    }

    void remove(String memberId) {
        ClassicMember removed = members.remove(memberId);
        if (removed == null) {
            return;
        }
        if (removed.isStatic() && memberId.equals(staticMembers.get(removed.instanceId()))) {
            staticMembers.remove(removed.instanceId());
        }
        pendingSync.remove(memberId);
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
    }

    /** Puts {@code replacement} in place of the static member it takes over (same instance id). */
    void replaceStatic(String oldMemberId, ClassicMember replacement) {
        ClassicMember old = members.remove(oldMemberId);
        replacement.assignment = old == null ? ClassicMember.NO_BYTES : old.assignment;
        members.put(replacement.memberId(), replacement);
        staticMembers.put(replacement.instanceId(), replacement.memberId());
        if (oldMemberId.equals(leaderId)) {
            leaderId = replacement.memberId();
        }
        if (pendingSync.remove(oldMemberId)) {
            pendingSync.add(replacement.memberId());
        }
    }

    boolean isPending(String memberId) {
        return pendingMembers.containsKey(memberId);
    }

    void addPending(String memberId, long timer) {
        pendingMembers.put(memberId, timer);
    }

    /** Returns the pending member's expiry timer, or null when it was not pending. */
    Long removePending(String memberId) {
        return pendingMembers.remove(memberId);
    }

    Collection<Long> pendingTimers() {
        return pendingMembers.values();
    }

    boolean hasPendingMembers() {
        return !pendingMembers.isEmpty();
    }

    boolean allMembersJoined() {
        for (ClassicMember m : members.values()) {
            if (!m.isAwaitingJoin()) {
                return false;
            }
        }
        return pendingMembers.isEmpty();
    }

    int maxRebalanceTimeoutMs() {
        int max = 0;
        for (ClassicMember m : members.values()) {
            max = Math.max(max, m.rebalanceTimeoutMs);
        }
        return max;
    }

    // ---- protocols

    /** Whether a member with these protocols may join: same protocol type, and a protocol every member supports. */
    boolean supportsProtocols(String type, List<Protocol> protocols) {
        if (type == null || type.isEmpty() || protocols.isEmpty()) {
            return false;
        }
        if (members.isEmpty()) {
            return true;
        }
        if (!type.equals(protocolType)) {
            return false;
        }
        Set<String> common = commonProtocols();
        for (Protocol p : protocols) {
            if (common.contains(p.name())) {
                return true;
            }
        }
        return false;
    }

    /** Protocols every member supports, in the first member's order of preference. */
    Set<String> commonProtocols() {
        Set<String> common = null;
        for (ClassicMember m : members.values()) {
            Set<String> names = new LinkedHashSet<>();
            m.protocols.forEach(p -> names.add(p.name()));
            if (common == null) {
                common = names;
            } else {
                common.retainAll(names);
            }
        }
        return common == null ? Set.of() : common;
    }

    /** Each member votes for its most preferred common protocol; the most votes wins (ties: first listed). */
    String selectProtocol() {
        Set<String> candidates = commonProtocols();
        Map<String, Integer> votes = new LinkedHashMap<>();
        candidates.forEach(c -> votes.put(c, 0));
        for (ClassicMember m : members.values()) {
            for (Protocol p : m.protocols) {
                if (candidates.contains(p.name())) {
                    votes.merge(p.name(), 1, Integer::sum);
                    break;
                }
            }
        }
        String best = null;
        int bestVotes = -1;
        for (Map.Entry<String, Integer> e : votes.entrySet()) {
            if (e.getValue() > bestVotes) {
                best = e.getKey();
                bestVotes = e.getValue();
            }
        }
        return best;
    }

    /** Starts the next generation: the chosen protocol (or none when empty) and a leader. */
    void initNextGeneration() {
        generation++;
        if (members.isEmpty()) {
            protocolName = null;
            leaderId = null;
            transitionTo(ClassicGroupState.EMPTY);
        } else {
            protocolName = selectProtocol();
            if (leaderId == null || !members.containsKey(leaderId)) {
                leaderId = members.keySet().iterator().next();
            }
            transitionTo(ClassicGroupState.COMPLETING_REBALANCE);
        }
        pendingSync.clear();
    }

    /** Sets state and generation from a stored record, before any member is active. */
    void restore(int storedGeneration, String storedProtocolType, String storedProtocolName, String storedLeader) {
        generation = storedGeneration;
        protocolType = storedProtocolType;
        protocolName = storedProtocolName;
        leaderId = storedLeader != null && members.containsKey(storedLeader) ? storedLeader
                : members.isEmpty() ? null : members.keySet().iterator().next();
        state = members.isEmpty() ? ClassicGroupState.EMPTY : ClassicGroupState.STABLE;
    }

    /** Each member's metadata for the chosen protocol (for consumers: its subscription). */
    List<byte[]> currentMetadata() {
        List<byte[]> result = new ArrayList<>();
        if (protocolName == null) {
            return result;
        }
        for (ClassicMember m : members.values()) {
            byte[] md = m.metadata(protocolName);
            if (md != null) {
                result.add(md);
            }
        }
        return result;
    }

    @Override
    public void shutdown(GroupError error) {
        for (ClassicMember m : members.values()) {
            m.completeJoin(ClassicMessages.JoinResult.error(error, m.memberId()));
            m.completeSync(SyncResult.error(error));
        }
    }

    /** Marks the group deleted. */
    void markDead() {
        state = ClassicGroupState.DEAD;
    }
}
