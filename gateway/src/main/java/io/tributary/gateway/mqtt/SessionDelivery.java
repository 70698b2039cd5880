package io.tributary.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.tributary.core.api.StoredRecord;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Delivers a session's messages to its connected client: reads the partitions its subscriptions cover, keeps
 * a bounded queue, sends within the client's inflight window and tracks QoS 1/2 acknowledgements. When the
 * queue is full the partition readers pause, so a slow client costs bounded memory and never holds up anyone
 * else. Runs on the connection's context.
 */
final class SessionDelivery {

    /** Writes handed to the socket and not yet flushed beyond which sending waits (QoS 0 has no other brake). */
    private static final int MAX_PENDING_WRITES = 512;

    private final GatewayServices gw;
    private final Session session;
    private final MqttEndpoint endpoint;
    private final int window;
    private final int maxPacketBytes;
    private final OutboundTopicAliases aliases;
    private final Map<TopicPartition, PartitionReader> readers = new HashMap<>();
    private final ArrayDeque<OutboundMessage> queue = new ArrayDeque<>();
    private final Runnable topicsChanged = this::refreshReaders;
    private final SharedSubscriptions shared;
    private int pendingWrites;
    private boolean stopped;
    private boolean positionsChanged;

    /** @param topicAliases the most topic aliases to assign on this connection (MQTT 5; 0: none) */
    SessionDelivery(GatewayServices gw, Session session, MqttEndpoint endpoint, int window, int maxPacketBytes,
                    int topicAliases) {
        this.gw = gw;
        this.session = session;
        this.endpoint = endpoint;
        this.window = window;
        this.maxPacketBytes = maxPacketBytes;
        this.aliases = new OutboundTopicAliases(topicAliases);
        this.shared = new SharedSubscriptions(gw, session, this);
    }

    /** Resends what was unacknowledged when the client last went away, then starts reading. */
    void start() {
        for (Map.Entry<Integer, OutboundMessage> e : session.inflight.entrySet()) {
            OutboundMessage m = e.getValue();
            if (m.released()) {
                endpoint.publishRelease(e.getKey());
            } else {
                send(m, e.getKey(), true);
            }
        }
        gw.catalog().listen(topicsChanged);
        refreshReaders();
        shared.refresh();
    }

    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        gw.catalog().unlisten(topicsChanged);
        syncPositions();
        readers.values().forEach(PartitionReader::stop);
        readers.clear();
        queue.clear();
        shared.stop();
    }

    /** Starts readers for partitions the subscriptions now cover and stops those no longer covered. */
    void refreshReaders() {
        if (stopped) {
            return;
        }
        Map<TopicPartition, Long> needed = new HashMap<>();
        for (Subscription sub : session.subscriptions.values()) {
            if (sub.shared()) {
                continue;
            }
            for (String topic : gw.mapping().kafkaTopicsFor(sub.filter(), gw.catalog().names())) {
                for (int p = 0; p < gw.catalog().partitionsOf(topic); p++) {
                    TopicPartition tp = new TopicPartition(topic, p);
                    needed.merge(tp, sub.fromOffset(tp), Math::min);
                }
            }
        }
        for (Map.Entry<TopicPartition, Long> e : needed.entrySet()) {
            TopicPartition tp = e.getKey();
            if (!readers.containsKey(tp)) {
                long start = session.positions.getOrDefault(tp, e.getValue());
                session.positions.put(tp, start);
                PartitionReader reader = new PartitionReader(gw.vertx(), gw.api().records(), tp, start,
                        r -> onRecord(tp, r), this::hasRoom, cursor -> onRead());
                readers.put(tp, reader);
                reader.resume();
            }
        }
        for (TopicPartition tp : new ArrayList<>(readers.keySet())) {
            if (!needed.containsKey(tp)) {
                readers.remove(tp).stop();
                session.positions.remove(tp);
            }
        }
        shared.refresh();
    }

    /**
     * A subscription was added: a replay start before where its partitions are read moves the readers back,
     * and the other subscriptions skip what they already had.
     */
    void subscriptionAdded(Subscription added) {
        for (PartitionReader reader : readers.values()) {
            TopicPartition tp = reader.partition();
            long from = added.fromOffset(tp);
            if (added.from().containsKey(tp) && from < reader.cursor()) {
                long old = reader.cursor();
                session.subscriptions.replaceAll((key, sub) -> sub == added || sub.fromOffset(tp) >= old ? sub
                        : sub.withFrom(with(sub.from(), tp, old)));
                reader.rewindTo(from);
                queue.removeIf(m -> tp.equals(m.source()) && m.offset() >= from);
            }
        }
        refreshReaders();
    }

    private static Map<TopicPartition, Long> with(Map<TopicPartition, Long> map, TopicPartition tp, long offset) {
        Map<TopicPartition, Long> copy = new HashMap<>(map);
        copy.put(tp, offset);
        return copy;
    }

    /** Queues retained messages for a new subscription (marked retain, as MQTT asks). */
    void enqueueRetained(Subscription sub, List<Publication> retained) {
        for (Publication p : retained) {
            List<Integer> ids = sub.identifier() > 0 ? List.of(sub.identifier()) : List.of();
            queue.add(new OutboundMessage(p, Math.min(sub.qos(), p.qos()), true, ids, null, -1, false));
        }
        pump();
    }

    private void onRecord(TopicPartition tp, StoredRecord r) {
        String mqttTopic = gw.mapping().mqttTopicFor(r.topic(), r.key());
        Publication p = null;
        int qos = -1;
        boolean retain = false;
        List<Integer> ids = null;
        for (Subscription sub : session.subscriptions.values()) {
            if (sub.shared() || r.offset() < sub.fromOffset(tp) || !TopicFilter.matches(sub.filter(), mqttTopic)) {
                continue;
            }
            if (p == null) {
                p = PublicationCodec.fromRecord(r, mqttTopic, gw.settings().kafkaRecordQos());
            }
            if (sub.noLocal() && session.clientId().equals(p.publisherId())) {
                continue;
            }
            // One copy per message, at the highest QoS of the matching subscriptions (MQTT 5 3.3.4).
            qos = Math.max(qos, Math.min(sub.qos(), p.qos()));
            retain |= sub.retainAsPublished() && p.retain();
            if (sub.identifier() > 0) {
                if (ids == null) {
                    ids = new ArrayList<>(2);
                }
                ids.add(sub.identifier());
            }
        }
        if (qos >= 0) {
            queue.add(new OutboundMessage(p, qos, retain, ids == null ? List.of() : ids, tp, r.offset(), false));
        }
    }

    /** A shared subscription's reader hands over a record meant for this client. */
    void enqueueShared(Subscription sub, TopicPartition tp, StoredRecord r) {
        String mqttTopic = gw.mapping().mqttTopicFor(r.topic(), r.key());
        if (!TopicFilter.matches(sub.filter(), mqttTopic)) {
            return;
        }
        Publication p = PublicationCodec.fromRecord(r, mqttTopic, gw.settings().kafkaRecordQos());
        List<Integer> ids = sub.identifier() > 0 ? List.of(sub.identifier()) : List.of();
        queue.add(new OutboundMessage(p, Math.min(sub.qos(), p.qos()), sub.retainAsPublished() && p.retain(), ids,
                tp, r.offset(), false));
    }

    void onRead() {
        positionsChanged = true;
        pump();
    }

    boolean hasRoom() {
        return !stopped && queue.size() < gw.settings().maxQueuedMessages();
    }

    /** Sends queued messages while the inflight window and the socket allow, then lets paused readers go on. */
    void pump() {
        while (!stopped && !queue.isEmpty()) {
            OutboundMessage m = queue.peek();
            if (m.qos() > 0 && session.inflight.size() >= window || pendingWrites >= MAX_PENDING_WRITES) {
                break;
            }
            queue.poll();
            if (m.publication().expired(System.currentTimeMillis())) {
                positionsChanged = true;
                continue; // MQTT 5: a message whose expiry interval passed before delivery started is not sent.
            }
            if (maxPacketBytes > 0 && packetBytes(m) > maxPacketBytes) {
                positionsChanged = true;
                continue; // MQTT 5: a message larger than the client accepts is discarded for it.
            }
            int id = 0;
            if (m.qos() > 0) {
                id = session.nextPacketId();
                session.inflight.put(id, m);
            }
            send(m, id, false);
        }
        if (!stopped && queue.size() <= gw.settings().maxQueuedMessages() / 2) {
            readers.values().forEach(PartitionReader::resume);
            shared.resume();
        }
    }

    /** The encoded size of {@code m}'s PUBLISH as it would be sent now (with or without a topic alias). */
    private int packetBytes(OutboundMessage m) {
        OutboundTopicAliases.Use use = aliases.plan(m.publication().topic());
        return PublicationCodec.packetBytes(m.publication(), use.topicName(), m.qos(), m.subscriptionIds(), use.alias());
    }

    private void send(OutboundMessage m, int packetId, boolean dup) {
        if (!endpoint.isConnected()) {
            return; // Kept in flight (QoS 1/2) for the next connection of this session.
        }
        Publication p = m.publication();
        if (!dup) {
            gw.metrics().delivered(m.qos());
        }
        pendingWrites++;
        boolean v5 = endpoint.protocolVersion() == 5;
        OutboundTopicAliases.Use use = v5 ? aliases.plan(p.topic()) : null;
        if (use != null) {
            aliases.sent(p.topic(), use);
        }
        endpoint.publish(use == null ? p.topic() : use.topicName(), Buffer.buffer(p.payload()), MqttQoS.valueOf(m.qos()),
                        dup, m.retain(), packetId,
                        v5 ? PublicationCodec.properties(p, m.subscriptionIds(), use.alias())
                                : io.netty.handler.codec.mqtt.MqttProperties.NO_PROPERTIES)
                .onComplete(ar -> {
                    pendingWrites--;
                    if (pendingWrites == MAX_PENDING_WRITES / 2) {
                        pump();
                    }
                });
    }

    void onPubAck(int packetId) {
        OutboundMessage m = session.inflight.get(packetId);
        if (m != null && m.qos() == 1) {
            session.inflight.remove(packetId);
            positionsChanged = true;
            pump();
        }
    }

    void onPubRec(int packetId) {
        if (stopped) {
            return;
        }
        OutboundMessage m = session.inflight.get(packetId);
        if (m != null && m.qos() == 2) {
            session.inflight.put(packetId, m.asReleased());
        }
        endpoint.publishRelease(packetId);
    }

    void onPubComp(int packetId) {
        OutboundMessage m = session.inflight.get(packetId);
        if (m != null && m.qos() == 2) {
            session.inflight.remove(packetId);
            positionsChanged = true;
            pump();
        }
    }

    /** Whether positions moved since the last {@link #syncPositions}. */
    boolean positionsChanged() {
        return positionsChanged;
    }

    /**
     * Records in the session where each partition must be read from again: the reader's cursor, or the first
     * message still queued (not yet sent) for it.
     */
    void syncPositions() {
        positionsChanged = false;
        for (PartitionReader reader : readers.values()) {
            session.positions.put(reader.partition(), reader.cursor());
        }
        Set<TopicPartition> seen = new HashSet<>();
        for (OutboundMessage m : queue) {
            if (m.source() != null && readers.containsKey(m.source()) && seen.add(m.source())) {
                session.positions.merge(m.source(), m.offset(), Math::min);
            }
        }
        shared.syncPositions(queue);
    }

    int queued() {
        return queue.size();
    }
}
