package io.tributary.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.tributary.core.concurrent.ContextHop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttWill;
import io.vertx.mqtt.messages.MqttDisconnectMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * One client connection from CONNECT to close: authenticates, takes over the client's session, wires the
 * publish, subscribe and delivery handlers, and on an abnormal end publishes the will. Confined to the
 * event loop the connection arrived on.
 */
final class MqttConnection {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);
    private static final long NEVER_EXPIRES = 0xFFFFFFFFL;

    private final GatewayServices gw;
    private final PipelinedAppender appender;
    private final MqttEndpoint endpoint;
    private final Context context;
    private final boolean v5;
    private final Runnable onClosed;
    /** The peer's address, kept because the endpoint refuses to tell it once closed. */
    private final String remote;
    private final String requestedClientId;
    private final String username;
    private final long connectedAtMs = System.currentTimeMillis();
    private Session session;
    private TopicPermissions permissions;
    /** Created on the first PUBLISH, SUBSCRIBE or delivery: an idle connection costs only what it must. */
    private InboundPublishes inbound;
    private SubscriptionRequests subscriptions;
    private SessionDelivery delivery;
    private int window;
    private int maxPacket;
    /** Keep-alive in force (seconds, 0 none), checked by the event loop's sweep when {@link #ownKeepAlive}. */
    private int keepAlive;
    private boolean ownKeepAlive;
    private long lastSeenNanos;
    private boolean normalDisconnect;
    private boolean ended;
    /** Completes when the ended connection's session is saved (or dropped). */
    private Future<Void> endFuture = Future.succeededFuture();
    /** Whether this connection was accepted and so counted in the connections gauge. */
    private boolean counted;
    private boolean sessionDirty;
    /** Set once a protocol violation was logged, so the close that follows is not logged again. */
    private boolean violated;

    private MqttConnection(GatewayServices gw, MqttEndpoint endpoint, PipelinedAppender appender, Runnable onClosed) {
        this.gw = gw;
        this.appender = appender;
        this.endpoint = endpoint;
        this.context = Vertx.currentContext();
        this.v5 = endpoint.protocolVersion() == 5;
        this.onClosed = onClosed;
        this.remote = String.valueOf(endpoint.remoteAddress());
        this.requestedClientId = endpoint.clientIdentifier();
        this.username = endpoint.auth() == null ? null : endpoint.auth().getUsername();
    }

    /**
     * Handles a CONNECT; {@code registered} is told the connection once it is accepted. {@code appender} is the
     * event loop's, shared by its connections.
     */
    static void accept(GatewayServices gw, MqttEndpoint endpoint, PipelinedAppender appender,
                       java.util.function.Consumer<MqttConnection> registered,
                       java.util.function.Consumer<MqttConnection> unregistered) {
        MqttConnection[] self = new MqttConnection[1];
        self[0] = new MqttConnection(gw, endpoint, appender, () -> unregistered.accept(self[0]));
        self[0].connect(registered);
    }

    private void connect(java.util.function.Consumer<MqttConnection> registered) {
        LeanConnection.trim(endpoint);
        endpoint.publishAutoAck(false);
        endpoint.subscriptionAutoAck(false);
        String clientId = endpoint.clientIdentifier();
        boolean assigned = false;
        if (clientId == null || clientId.isEmpty()) {
            if (!v5 && !endpoint.isCleanSession()) {
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "empty client id with a persistent session");
                return;
            }
            clientId = "auto-" + UUID.randomUUID();
            assigned = true;
        }
        int maxKeepAlive = gw.settings().maxKeepAliveSeconds();
        if (!v5 && maxKeepAlive > 0 && (endpoint.keepAliveTimeSeconds() == 0
                || endpoint.keepAliveTimeSeconds() > maxKeepAlive)) {
            // MQTT 3.1.1 cannot be told another keep-alive: refuse, as Mosquitto does with max_keepalive.
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                    "keep-alive " + endpoint.keepAliveTimeSeconds() + " s over the maximum of " + maxKeepAlive + " s");
            return;
        }
        if (v5 && endpoint.connectProperties().getProperty(MqttProperties.AUTHENTICATION_METHOD) != null) {
            // Enhanced authentication (MQTT 5 AUTH exchanges): no method is supported, only username and password.
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD, "authentication method "
                    + endpoint.connectProperties().getProperty(MqttProperties.AUTHENTICATION_METHOD).value()
                    + " not supported");
            return;
        }
        // With no authentication exchange under way, an AUTH packet is a protocol error (MQTT 5 4.12).
        endpoint.authenticationExchangeHandler(m -> violation(MqttDisconnectReasonCode.PROTOCOL_ERROR,
                "AUTH packet outside an authentication exchange"));
        if (v5 && endpoint.will() != null && endpoint.will().isWillFlag()
                && PublicationCodec.invalidResponseTopic(endpoint.will().getWillProperties()) != null) {
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR, "will Response Topic is not a valid topic name");
            return;
        }
        if (intProperty(MqttProperties.REQUEST_RESPONSE_INFORMATION, 0) > 1) {
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR, "Request Response Information other than 0 or 1");
            return;
        }
        String id = clientId;
        boolean assignedId = assigned;
        long expiry = gw.settings().capExpiry(requestedExpiry());
        String username = endpoint.auth() == null ? null : endpoint.auth().getUsername();
        String password = endpoint.auth() == null ? null : endpoint.auth().getPassword();
        // Everything the client sends before it is accepted is handled after: keep its order.
        endpoint.closeHandler(v -> onClose());
        gw.authenticator().authenticate(username, password, id, endpoint).compose(perms -> {
            MqttWill will = endpoint.will();
            if (will != null && will.isWillFlag()
                    && (!TopicFilter.isValidTopicName(will.getWillTopic()) || !perms.mayPublish(will.getWillTopic()))) {
                return Future.failedFuture(new Authenticator.RefusedException(Authenticator.Refusal.NOT_AUTHORIZED,
                        "will topic not allowed"));
            }
            return gw.sessions().attach(this, id, endpoint.isCleanSession(), expiry).map(a -> {
                try {
                    if (start(a, perms, assignedId ? id : null)) {
                        registered.accept(this);
                    }
                } finally {
                    a.started().run(); // the next CONNECT with this client id may go on
                }
                return null;
            });
        }).onFailure(e -> {
            if (e instanceof Authenticator.RefusedException r) {
                refuse(r.refusal == Authenticator.Refusal.BAD_CREDENTIALS
                        ? (v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                                : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD)
                        : (v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                                : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED), r.getMessage());
            } else {
                refuse(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                        : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, String.valueOf(e));
            }
        });
    }

    /** Accepts the client on its session; false when it left while being authenticated. */
    private boolean start(SessionRegistry.Attachment attachment, TopicPermissions perms, String assignedId) {
        session = attachment.session();
        if (ended) {
            // The socket closed while authenticating: give the session back at once.
            gw.sessions().detached(session);
            return false;
        }
        permissions = perms;
        window = Math.min(gw.settings().maxInflight(), intProperty(MqttProperties.RECEIVE_MAXIMUM, 65535));
        maxPacket = intProperty(MqttProperties.MAXIMUM_PACKET_SIZE, 0);
        keepAlive = effectiveKeepAlive();
        ownKeepAlive = LeanConnection.dropKeepAliveTimer(endpoint);
        lastSeenNanos = System.nanoTime();
        endpoint.publishHandler(m -> {
            seen();
            inbound().onPublish(m);
        });
        endpoint.publishReleaseHandler(id -> {
            seen();
            inbound().onPubRel(id);
        });
        endpoint.subscribeHandler(m -> {
            seen();
            subscriptions().onSubscribe(m);
        });
        endpoint.unsubscribeHandler(m -> {
            seen();
            subscriptions().onUnsubscribe(m);
        });
        endpoint.publishAcknowledgeHandler(id -> {
            seen();
            delivery().onPubAck(id);
        });
        endpoint.publishReceivedHandler(id -> {
            seen();
            delivery().onPubRec(id);
        });
        endpoint.publishCompletionHandler(id -> {
            seen();
            delivery().onPubComp(id);
        });
        endpoint.pingHandler(v -> seen());
        endpoint.disconnectMessageHandler(this::onDisconnect);
        endpoint.exceptionHandler(e -> violation(isTooLarge(e) ? MqttDisconnectReasonCode.PACKET_TOO_LARGE
                : MqttDisconnectReasonCode.MALFORMED_PACKET, String.valueOf(e.getMessage())));
        endpoint.accept(attachment.present(), connackProperties(assignedId));
        counted = true;
        gw.metrics().connected();
        if (!session.subscriptions.isEmpty() || !session.inflight.isEmpty()) {
            delivery(); // a resumed session: resend what is unacknowledged and read on
        }
        if (session.persistent() && !attachment.present()) {
            sessionChanged();
        }
        return true;
    }

    private InboundPublishes inbound() {
        if (inbound == null) {
            inbound = new InboundPublishes(gw, endpoint, session, permissions, appender, this::violation);
        }
        return inbound;
    }

    private SubscriptionRequests subscriptions() {
        if (subscriptions == null) {
            subscriptions = new SubscriptionRequests(gw, endpoint, session, permissions, this::delivery,
                    this::sessionChanged);
        }
        return subscriptions;
    }

    /** The session's delivery, started the first time it is needed. */
    private SessionDelivery delivery() {
        if (delivery == null) {
            delivery = new SessionDelivery(gw, session, endpoint, window, maxPacket,
                    Math.min(gw.settings().outboundTopicAliases(), intProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM, 0)));
            if (ended) {
                delivery.stop();
            } else {
                delivery.start();
            }
        }
        return delivery;
    }

    private void seen() {
        lastSeenNanos = System.nanoTime();
    }

    /**
     * The keep-alive in force: the client's, or the configured maximum when an MQTT 5 client asked for more or
     * for none (it is told so as Server Keep Alive).
     */
    private int effectiveKeepAlive() {
        int requested = endpoint.keepAliveTimeSeconds();
        int max = gw.settings().maxKeepAliveSeconds();
        return max > 0 && (requested == 0 || requested > max) ? max : requested;
    }

    /** For the event loop's keep-alive sweep: whether nothing arrived for one and a half times the keep-alive. */
    boolean keepAliveDue(long nowNanos) {
        if (inbound != null && inbound.paused()) {
            lastSeenNanos = nowNanos; // not reading it: its silence is ours
            return false;
        }
        return ownKeepAlive && keepAlive > 0 && !ended && session != null
                && nowNanos - lastSeenNanos > keepAlive * 1_500_000_000L;
    }

    /** Closes a connection whose keep-alive ran out; as an abnormal end, its will is published. */
    void keepAliveTimeout() {
        if (ended) {
            return;
        }
        LOG.info("MQTT client {} from {} sent nothing for 1.5 x its keep-alive of {} s: closing", session.clientId(),
                remote, keepAlive);
        closeWith(MqttDisconnectReasonCode.KEEP_ALIVE_TIMEOUT);
    }

    private static boolean isTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.netty.handler.codec.TooLongFrameException
                    || t.getMessage() != null && t.getMessage().contains("message length exceeds")) {
                return true;
            }
        }
        return false;
    }

    private MqttProperties connackProperties(String assignedId) {
        MqttProperties props = new MqttProperties();
        if (!v5) {
            return props;
        }
        props.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, gw.settings().receiveMaximum()));
        props.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, gw.settings().maxPacketBytes()));
        props.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM,
                gw.settings().topicAliasMaximum()));
        if (keepAlive != endpoint.keepAliveTimeSeconds()) {
            props.add(new MqttProperties.IntegerProperty(MqttProperties.SERVER_KEEP_ALIVE, keepAlive));
        }
        if (assignedId != null) {
            props.add(new MqttProperties.StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, assignedId));
        }
        if (intProperty(MqttProperties.REQUEST_RESPONSE_INFORMATION, 0) == 1) {
            String info = ResponseInformation.forClient(gw.settings().responseInformation(), session.clientId(),
                    username);
            if (info != null) {
                props.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_INFORMATION, info));
            }
        }
        long requested = requestedExpiry();
        long granted = gw.settings().capExpiry(requested);
        if (granted != requested) {
            props.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL,
                    (int) (granted < 0 ? NEVER_EXPIRES : granted)));
        }
        return props;
    }

    /** Seconds the client wants its session kept after disconnecting; -1 for ever. */
    private long requestedExpiry() {
        if (!v5) {
            return endpoint.isCleanSession() ? 0 : -1;
        }
        MqttProperties.MqttProperty<?> p = endpoint.connectProperties().getProperty(MqttProperties.SESSION_EXPIRY_INTERVAL);
        if (p == null) {
            return 0;
        }
        long seconds = Integer.toUnsignedLong((Integer) p.value());
        return seconds == NEVER_EXPIRES ? -1 : seconds;
    }

    private int intProperty(int id, int fallback) {
        if (!v5) {
            return fallback;
        }
        MqttProperties.MqttProperty<?> p = endpoint.connectProperties().getProperty(id);
        return p != null && p.value() instanceof Integer i && i > 0 ? i : fallback;
    }

    private void refuse(MqttConnectReturnCode code, String why) {
        LOG.info("MQTT client {} from {} refused: {} ({})", requestedClientId, remote, code, why);
        if (!ended) {
            try {
                endpoint.reject(code);
            } catch (RuntimeException e) {
                // The client hung up first.
            }
        }
    }

    private void onDisconnect(MqttDisconnectMessage msg) {
        normalDisconnect = msg.code() != MqttDisconnectReasonCode.WITH_WILL_MESSAGE;
        MqttProperties.MqttProperty<?> expiry = msg.properties() == null ? null
                : msg.properties().getProperty(MqttProperties.SESSION_EXPIRY_INTERVAL);
        if (session != null && expiry != null && session.expirySeconds() != 0) {
            long seconds = Integer.toUnsignedLong((Integer) expiry.value());
            session.expirySeconds(gw.settings().capExpiry(seconds == NEVER_EXPIRES ? -1 : seconds));
        }
    }

    /** Disconnects a client that broke the protocol; logged once, other clients are not affected. */
    void violation(MqttDisconnectReasonCode reason, String why) {
        if (ended) {
            return;
        }
        violated = true;
        LOG.warn("Disconnecting MQTT client {} from {}: {} ({})", requestedClientId, remote,
                reason, why);
        closeWith(reason);
    }

    /** Sends an MQTT 5 DISCONNECT with {@code reason} when still possible, then closes; quiet if already closed. */
    private void closeWith(MqttDisconnectReasonCode reason) {
        try {
            if (v5 && endpoint.isConnected()) {
                endpoint.disconnect(reason, MqttProperties.NO_PROPERTIES);
            }
            endpoint.close();
        } catch (RuntimeException e) {
            // The client is already gone (it may have just sent DISCONNECT): nothing more to tell it.
        }
    }

    /** Another connection claims this client id: end this one (on its own context) and hand the session over. */
    Future<Void> takeOver() {
        return ContextHop.compose(context, () -> {
            if (!ended) {
                closeWith(MqttDisconnectReasonCode.SESSION_TAKEN_OVER);
            }
            return end();
        });
    }

    private void onClose() {
        end();
    }

    private Future<Void> end() {
        if (ended) {
            return endFuture;
        }
        ended = true;
        endFuture = finish();
        return endFuture;
    }

    private Future<Void> finish() {
        if (counted) {
            gw.metrics().disconnected();
        }
        onClosed.run();
        if (session == null) {
            return Future.succeededFuture();
        }
        if (!normalDisconnect && !violated) {
            LOG.info("MQTT client {} from {} lost its connection without DISCONNECT", session.clientId(),
                    remote);
        }
        if (inbound != null) {
            inbound.close();
        }
        if (delivery != null) {
            delivery.stop();
        }
        MqttWill will = endpoint.will();
        if (!normalDisconnect && will != null && will.isWillFlag()) {
            // Without expiry here: a will's Message Expiry Interval starts when it is published, after its delay.
            Publication p = PublicationCodec.fromMqtt(will.getWillTopic(), will.getWillMessageBytes(),
                    will.getWillQos(), will.isWillRetain(), will.getWillProperties(), v5, session.clientId(), 0)
                    .withExpiresAt(0);
            long expirySeconds = v5 ? PublicationCodec.expirySeconds(will.getWillProperties()) : -1;
            gw.wills().connectionLost(session, p, willDelay(will), expirySeconds);
        }
        return gw.sessions().detached(session).recover(e -> {
            LOG.warn("Session of MQTT client {} was not saved: {}", session.clientId(), e.getMessage());
            return Future.succeededFuture();
        });
    }

    private long willDelay(MqttWill will) {
        if (!v5 || will.getWillProperties() == null) {
            return 0;
        }
        MqttProperties.MqttProperty<?> p = will.getWillProperties().getProperty(MqttProperties.WILL_DELAY_INTERVAL);
        return p == null ? 0 : Integer.toUnsignedLong((Integer) p.value());
    }

    private void sessionChanged() {
        sessionDirty = true;
        if (session.persistent()) {
            checkpoint();
        }
    }

    /** Saves the session when it changed since the last save (called periodically on this context). */
    void checkpoint() {
        if (ended || session == null || !session.persistent()) {
            return;
        }
        if (sessionDirty || delivery != null && delivery.positionsChanged()) {
            sessionDirty = false;
            if (delivery != null) {
                delivery.syncPositions();
            }
            gw.sessions().save(session);
        }
    }

    /** Ends the connection because the gateway stops: the session is kept, no will is published. */
    void shutdown() {
        normalDisconnect = true;
        closeWith(MqttDisconnectReasonCode.SERVER_SHUTTING_DOWN);
    }

    Future<Void> endNow() {
        return end();
    }

    /** What an operator sees of this connection; its session's subscriptions are counted by the caller. */
    MqttClientInfo describe(String clientId, int subscriptions) {
        String version = switch (endpoint.protocolVersion()) {
            case 3 -> "3.1";
            case 4 -> "3.1.1";
            case 5 -> "5.0";
            default -> String.valueOf(endpoint.protocolVersion());
        };
        return new MqttClientInfo(clientId, username, remote, version, connectedAtMs, subscriptions);
    }

    int queued() {
        SessionDelivery d = delivery;
        return d == null ? 0 : d.queued();
    }

    /** The most inbound QoS 1/2 publishes that waited for their acknowledgement at once (0 before any). */
    int peakInboundPending() {
        InboundPublishes in = inbound;
        return in == null ? 0 : in.peakPending();
    }

    Context context() {
        return context;
    }
}
