package io.tributary.gateway.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.VoidChannelPromise;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.tributary.core.api.ApiException;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubCompReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubRecReasonCode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A client's PUBLISHes into the log. QoS 1 and 2 are acknowledged only once the append is acknowledged,
 * and acknowledgements leave in the order the PUBLISHes came in, as MQTT requires. QoS 2 packet ids stay
 * in the session from PUBREC to PUBREL, so a resent PUBLISH is not appended twice. Runs on the connection's context.
 */
final class InboundPublishes {

    /** What to do about a client that broke the protocol: disconnect it with this reason. */
    interface Violation {
        void disconnect(MqttDisconnectReasonCode reason, String why);
    }

    /** MQTT 5 reason of a refused publish; also the cue to close an MQTT 3 connection (it has no negative ack). */
    private enum Outcome {
        SUCCESS(0x00), NOT_AUTHORIZED(0x87), TOPIC_NAME_INVALID(0x90), PAYLOAD_FORMAT_INVALID(0x99),
        QUOTA_EXCEEDED(0x97), IMPLEMENTATION_SPECIFIC_ERROR(0x83), UNSPECIFIED_ERROR(0x80);

        final byte code;

        Outcome(int code) {
            this.code = (byte) code;
        }
    }

    /** An acknowledgement waiting for its turn. */
    private static final class PendingAck {
        final int packetId;
        final int qos;
        Outcome outcome;

        PendingAck(int packetId, int qos) {
            this.packetId = packetId;
            this.qos = qos;
        }
    }

    private final GatewayServices gw;
    private final MqttEndpoint endpoint;
    private final Session session;
    private final TopicPermissions permissions;
    private final Violation violation;
    private final boolean v5;
    private final ArrayDeque<PendingAck> acks = new ArrayDeque<>();
    private final PipelinedAppender appender;
    /** Where acknowledgements are written (several, then one flush); null to write them through the endpoint. */
    private final ChannelHandlerContext channel;
    private final VoidChannelPromise writePromise;
    private final NetSocketInternal socket;
    private boolean paused;
    private int peakPending;
    /** QoS 2 ids whose append is under way: a resend meanwhile must neither append nor ack twice. */
    private final Set<Integer> qos2Appending = new HashSet<>();
    private boolean closed;
    /** Replies waiting for the session save under way ({@link #saving}) or the next one. */
    private List<Runnable> awaitingSave;
    private boolean saving;
    /** MQTT 5 topic aliases the client set (alias to topic), created on first use. */
    private Map<Integer, String> aliases;

    InboundPublishes(GatewayServices gw, MqttEndpoint endpoint, Session session, TopicPermissions permissions,
                     PipelinedAppender appender, Violation violation) {
        this.gw = gw;
        this.endpoint = endpoint;
        this.session = session;
        this.permissions = permissions;
        this.violation = violation;
        this.v5 = endpoint.protocolVersion() == 5;
        this.appender = appender;
        this.channel = LeanConnection.channel(endpoint);
        this.socket = LeanConnection.socket(endpoint);
        this.writePromise = channel == null ? null : new VoidChannelPromise(channel.channel(), false);
    }

    void onPublish(MqttPublishMessage msg) {
        String topic = msg.topicName();
        int qos = msg.qosLevel().value();
        int id = msg.messageId();
        gw.metrics().received(qos);
        if (v5) {
            topic = resolveAlias(topic, msg.properties());
            if (topic == null) {
                return;
            }
        }
        if (topic.indexOf('\uFFFD') >= 0) {
            // The decoder replaces malformed UTF-8 with U+FFFD: the topic was not valid UTF-8.
            violation.disconnect(MqttDisconnectReasonCode.MALFORMED_PACKET, "topic name is not valid UTF-8");
            return;
        }
        if (!TopicFilter.isValidTopicName(topic)) {
            violation.disconnect(MqttDisconnectReasonCode.TOPIC_NAME_INVALID, "invalid topic name in PUBLISH");
            return;
        }
        if (qos > 2) {
            violation.disconnect(MqttDisconnectReasonCode.QOS_NOT_SUPPORTED, "QoS 3 in PUBLISH");
            return;
        }
        if (v5 && PublicationCodec.invalidResponseTopic(msg.properties()) != null) {
            violation.disconnect(MqttDisconnectReasonCode.PROTOCOL_ERROR, "Response Topic "
                    + PublicationCodec.invalidResponseTopic(msg.properties()) + " is not a valid topic name");
            return;
        }
        // Receive Maximum is an MQTT 5 agreement; MQTT 3.1.1 clients are held back by pausing their socket instead.
        if (v5 && qos > 0 && acks.size() >= gw.settings().receiveMaximum()) {
            violation.disconnect(MqttDisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "more unacknowledged publishes than "
                    + gw.settings().receiveMaximum());
            return;
        }
        if (qos == 2 && (session.inboundQos2.contains(id) || qos2Appending.contains(id))) {
            if (!qos2Appending.contains(id)) {
                PendingAck ack = new PendingAck(id, 2);
                ack.outcome = Outcome.SUCCESS;
                acks.add(ack);
                flushAcks();
            }
            return;
        }
        PendingAck ack = qos > 0 ? new PendingAck(id, qos) : null;
        if (ack != null) {
            acks.add(ack);
            peakPending = Math.max(peakPending, acks.size());
            if (!v5 && acks.size() >= gw.settings().receiveMaximum()) {
                pauseReading();
            }
        }
        if (!permissions.mayPublish(topic)) {
            complete(ack, Outcome.NOT_AUTHORIZED);
            return;
        }
        MqttProperties props = msg.properties();
        byte[] payload = msg.payload().getBytes();
        if (v5 && PublicationCodec.isUtf8Declared(props) && !isUtf8(payload)) {
            complete(ack, Outcome.PAYLOAD_FORMAT_INVALID);
            return;
        }
        Publication p = PublicationCodec.fromMqtt(topic, payload, qos, msg.isRetain(), props, v5, session.clientId(),
                System.currentTimeMillis());
        if (qos == 2) {
            qos2Appending.add(id);
        }
        appender.publish(p).onComplete(ar -> {
            if (qos == 2) {
                qos2Appending.remove(id);
                if (ar.succeeded()) {
                    session.inboundQos2.add(id);
                    // PUBREC only once the packet id is durable: a resend after a broker restart is still a duplicate.
                    afterSessionSaved(() -> complete(ack, Outcome.SUCCESS));
                    return;
                }
            }
            complete(ack, ar.succeeded() ? Outcome.SUCCESS : outcomeOf(ar.cause()));
        });
    }

    /**
     * MQTT 5 topic aliases: a PUBLISH with a topic and an alias sets the alias, one with an empty topic uses it.
     * Returns the topic, or null when the client was disconnected for a bad alias.
     */
    private String resolveAlias(String topic, MqttProperties props) {
        MqttProperties.MqttProperty<?> p = props == null ? null : props.getProperty(MqttProperties.TOPIC_ALIAS);
        if (p == null || !(p.value() instanceof Integer alias)) {
            if (topic.isEmpty()) {
                violation.disconnect(MqttDisconnectReasonCode.PROTOCOL_ERROR, "empty topic name without a topic alias");
                return null;
            }
            return topic;
        }
        if (alias == 0 || alias > gw.settings().topicAliasMaximum()) {
            violation.disconnect(MqttDisconnectReasonCode.TOPIC_ALIAS_INVALID, "topic alias " + alias
                    + " outside 1.." + gw.settings().topicAliasMaximum());
            return null;
        }
        if (topic.isEmpty()) {
            String known = aliases == null ? null : aliases.get(alias);
            if (known == null) {
                violation.disconnect(MqttDisconnectReasonCode.PROTOCOL_ERROR, "unknown topic alias " + alias);
            }
            return known;
        }
        if (aliases == null) {
            aliases = new HashMap<>();
        }
        aliases.put(alias, topic);
        return topic;
    }

    void onPubRel(int id) {
        if (closed) {
            return;
        }
        boolean known = session.inboundQos2.remove(id);
        // PUBCOMP frees the packet id for the client: only once that is durable, or after a restart a new message
        // reusing the id would be taken for a duplicate.
        afterSessionSaved(() -> pubComp(id, known));
    }

    /**
     * Runs {@code then} once the session's inbound QoS 2 packet ids as they are now are in __mqtt_sessions (at once for a
     * session that does not outlive its connection). Saves requested while one is under way go together in the next.
     */
    private void afterSessionSaved(Runnable then) {
        if (!session.persistent()) {
            then.run();
            return;
        }
        if (awaitingSave == null) {
            awaitingSave = new ArrayList<>();
        }
        awaitingSave.add(then);
        if (!saving) {
            saveNow();
        }
    }

    private void saveNow() {
        List<Runnable> batch = awaitingSave;
        awaitingSave = null;
        saving = true;
        gw.sessions().save(session).onComplete(ar -> {
            saving = false;
            if (ar.failed()) {
                violation.disconnect(MqttDisconnectReasonCode.UNSPECIFIED_ERROR,
                        "session not saved: " + ar.cause().getMessage());
                return;
            }
            batch.forEach(Runnable::run);
            if (awaitingSave != null && !closed) {
                saveNow();
            }
        });
    }

    private void pubComp(int id, boolean known) {
        if (closed || !endpoint.isConnected()) {
            return;
        }
        if (v5) {
            endpoint.publishComplete(id, known ? MqttPubCompReasonCode.SUCCESS
                    : MqttPubCompReasonCode.PACKET_IDENTIFIER_NOT_FOUND, MqttProperties.NO_PROPERTIES);
        } else {
            endpoint.publishComplete(id);
        }
    }

    void close() {
        closed = true;
        if (paused) {
            paused = false;
            socket.resume();
        }
    }

    private void complete(PendingAck ack, Outcome outcome) {
        if (ack == null) {
            return; // QoS 0: nothing to tell the client, whatever happened.
        }
        ack.outcome = outcome;
        flushAcks();
    }

    private void flushAcks() {
        boolean wrote = false;
        while (!closed && endpoint.isConnected() && !acks.isEmpty() && acks.peek().outcome != null) {
            PendingAck ack = acks.poll();
            if (ack.outcome != Outcome.SUCCESS && !v5) {
                // MQTT 3 cannot refuse a publish: the only honest answer is to close the connection.
                violation.disconnect(MqttDisconnectReasonCode.UNSPECIFIED_ERROR, "publish refused: " + ack.outcome);
                return;
            }
            if (channel != null && channel.channel().isActive()) {
                // Written straight to the channel, flushed once below: one system call for all acks that are ready.
                channel.write(ackPacket(ack), writePromise);
                wrote = true;
            } else if (ack.qos == 1) {
                if (v5) {
                    endpoint.publishAcknowledge(ack.packetId, MqttPubAckReasonCode.valueOf(ack.outcome.code),
                            MqttProperties.NO_PROPERTIES);
                } else {
                    endpoint.publishAcknowledge(ack.packetId);
                }
            } else if (v5) {
                endpoint.publishReceived(ack.packetId, MqttPubRecReasonCode.valueOf(ack.outcome.code),
                        MqttProperties.NO_PROPERTIES);
            } else {
                endpoint.publishReceived(ack.packetId);
            }
        }
        if (wrote) {
            channel.flush();
        }
        if (paused && acks.size() < gw.settings().receiveMaximum()) {
            paused = false;
            socket.resume();
        }
    }

    /**
     * MQTT 3.1.1 flow control: with {@code mqtt.receive.maximum} publishes waiting for their append, stop reading the
     * client's socket (packets already read wait in Vert.x's queue, undelivered) until acknowledgements go out.
     */
    private void pauseReading() {
        if (!paused && socket != null) {
            paused = true;
            socket.pause();
        }
    }

    /** Whether reading the client is paused for flow control (its silence then is no keep-alive failure). */
    boolean paused() {
        return paused;
    }

    /** The most QoS 1/2 publishes of this connection that waited for their acknowledgement at once. */
    int peakPending() {
        return peakPending;
    }

    /** The PUBACK (QoS 1) or PUBREC (QoS 2) of an acknowledgement, as the endpoint would write it. */
    private MqttMessage ackPacket(PendingAck ack) {
        MqttFixedHeader header = new MqttFixedHeader(ack.qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC,
                false, MqttQoS.AT_MOST_ONCE, false, 0);
        Object variable = v5
                ? new MqttPubReplyMessageVariableHeader(ack.packetId, ack.outcome.code, MqttProperties.NO_PROPERTIES)
                : MqttMessageIdVariableHeader.from(ack.packetId);
        return new MqttMessage(header, variable);
    }

    private static Outcome outcomeOf(Throwable e) {
        if (e instanceof ApiException ae) {
            return switch (ae.reason()) {
                case UNKNOWN_TOPIC, INVALID_TOPIC -> Outcome.TOPIC_NAME_INVALID;
                case RECORD_TOO_LARGE -> Outcome.QUOTA_EXCEEDED;
                case INVALID_REQUEST -> Outcome.IMPLEMENTATION_SPECIFIC_ERROR;
                default -> Outcome.UNSPECIFIED_ERROR;
            };
        }
        return Outcome.UNSPECIFIED_ERROR;
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
