package io.tributary.gateway.mqtt;

import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the gateway keeps for one client id between connections: subscriptions, where in the log each
 * partition is read up to, and the QoS 1/2 exchanges still open. Touched only on the context of the
 * connection that holds it (the registry hands it from one connection's context to the next).
 */
final class Session {

    private final String clientId;
    private long expirySeconds;
    final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    /** Per partition, the offset reading resumes at. */
    final Map<TopicPartition, Long> positions = new HashMap<>();
    /** Inbound QoS 2 packet ids acknowledged with PUBREC whose PUBREL has not arrived: their resends are duplicates. */
    final Set<Integer> inboundQos2 = new HashSet<>();
    /** Outbound QoS 1/2 messages sent and not yet completed, by packet id, in sending order. */
    final Map<Integer, OutboundMessage> inflight = new LinkedHashMap<>();
    private int lastPacketId;
    private MqttConnection connection;
    private long disconnectedAt;
    private long willTimer = -1;
    private long expiryTimer = -1;
    private boolean stored;
    /** Completes once the last connection's end was handled (session saved or dropped). */
    private io.vertx.core.Future<Void> released;

    Session(String clientId, long expirySeconds) {
        this.clientId = clientId;
        this.expirySeconds = expirySeconds;
    }

    String clientId() {
        return clientId;
    }

    /** Seconds the session outlives its connection; -1 forever, 0 ends with the connection. */
    long expirySeconds() {
        return expirySeconds;
    }

    void expirySeconds(long seconds) {
        this.expirySeconds = seconds;
    }

    boolean persistent() {
        return expirySeconds != 0;
    }

    MqttConnection connection() {
        return connection;
    }

    void connection(MqttConnection connection) {
        this.connection = connection;
    }

    long disconnectedAt() {
        return disconnectedAt;
    }

    void disconnectedAt(long at) {
        this.disconnectedAt = at;
    }

    long willTimer() {
        return willTimer;
    }

    void willTimer(long id) {
        this.willTimer = id;
    }

    long expiryTimer() {
        return expiryTimer;
    }

    void expiryTimer(long id) {
        this.expiryTimer = id;
    }

    io.vertx.core.Future<Void> released() {
        return released;
    }

    void released(io.vertx.core.Future<Void> f) {
        this.released = f;
    }

    /** Whether a record of this session is in __mqtt_sessions (so dropping it needs a tombstone). */
    boolean stored() {
        return stored;
    }

    void stored(boolean value) {
        this.stored = value;
    }

    /** The next packet id not in use by an open outbound exchange. */
    int nextPacketId() {
        for (int i = 0; i < 65535; i++) {
            lastPacketId = lastPacketId % 65535 + 1;
            if (!inflight.containsKey(lastPacketId)) {
                return lastPacketId;
            }
        }
        throw new IllegalStateException("no free packet id");
    }

    /**
     * Where reading must resume after a restart: the resume position, or earlier when a message before it
     * is still unacknowledged (it is then delivered again).
     */
    Map<TopicPartition, Long> durablePositions() {
        Map<TopicPartition, Long> out = new HashMap<>(positions);
        for (OutboundMessage m : inflight.values()) {
            if (m.source() != null) {
                out.merge(m.source(), m.offset(), Math::min);
            }
        }
        return out;
    }
}
