package io.tributary.core.group;

import io.tributary.core.group.ClassicMessages.JoinResult;
import io.tributary.core.group.ClassicMessages.Protocol;
import io.tributary.core.group.ClassicMessages.SyncResult;
import io.vertx.core.Promise;

import java.util.List;

/** One member of a classic group, with the JoinGroup/SyncGroup responses it is waiting for. */
final class ClassicMember {

    static final byte[] NO_BYTES = new byte[0];

    private final String memberId;
    private final String instanceId;
    String clientId;
    String clientHost;
    int sessionTimeoutMs;
    int rebalanceTimeoutMs;
    List<Protocol> protocols;
    byte[] assignment = NO_BYTES;
    /** Set while the member's JoinGroup is parked until the rebalance completes. */
    Promise<JoinResult> awaitingJoin;
    /** Set while the member's SyncGroup is parked until the leader sends the assignment. */
    Promise<SyncResult> awaitingSync;
    long sessionTimer = -1;

    ClassicMember(String memberId, String instanceId, String clientId, String clientHost, int sessionTimeoutMs,
                  int rebalanceTimeoutMs, List<Protocol> protocols) {
        this.memberId = memberId;
        this.instanceId = instanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.protocols = List.copyOf(protocols);
    }

    String memberId() {
        return memberId;
    }

    String instanceId() {
        return instanceId;
    }

    boolean isStatic() {
        return instanceId != null;
    }

    boolean isAwaitingJoin() {
        return awaitingJoin != null;
    }

    boolean isAwaitingSync() {
        return awaitingSync != null;
    }

    /** The member's metadata for {@code protocolName}, or null if it does not support it. */
    byte[] metadata(String protocolName) {
        for (Protocol p : protocols) {
            if (p.name().equals(protocolName)) {
                return p.metadata();
            }
        }
        return null;
    }

    /** True when the member sent exactly these protocols (names, order and metadata) before. */
    boolean sameProtocols(List<Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            Protocol a = protocols.get(i);
            Protocol b = other.get(i);
            if (!a.name().equals(b.name()) || !java.util.Arrays.equals(a.metadata(), b.metadata())) {
                return false;
            }
        }
        return true;
    }

    /** Completes the parked JoinGroup, if any. */
    void completeJoin(JoinResult result) {
        Promise<JoinResult> p = awaitingJoin;
        awaitingJoin = null;
        if (p != null) {
            p.tryComplete(result);
        }
    }

    /** Completes the parked SyncGroup, if any. */
    void completeSync(SyncResult result) {
        Promise<SyncResult> p = awaitingSync;
        awaitingSync = null;
        if (p != null) {
            p.tryComplete(result);
        }
    }
}
