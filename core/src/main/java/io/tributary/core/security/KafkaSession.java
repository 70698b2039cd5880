package io.tributary.core.security;

import io.tributary.core.config.ListenerProtocols.Protocol;
import io.tributary.core.security.sasl.SaslExchange;

/**
 * The security state of one Kafka connection: its listener's protocol, the client's address, and who it is. On
 * PLAINTEXT and SSL listeners the principal is known from the start (ANONYMOUS, or the client certificate's); on
 * SASL listeners it is set by a successful SaslHandshake + SaslAuthenticate, and until then only ApiVersions and the
 * SASL requests are served. Touched only on the connection's event loop.
 */
public final class KafkaSession {

    /** Where a SASL conversation stands. */
    public enum State { HANDSHAKE, AUTHENTICATE, AUTHENTICATED, FAILED }

    private final BrokerSecurity security;
    private final String listenerName;
    private final Protocol protocol;
    private final String host;
    private String principal;
    private State state;
    private SaslExchange exchange;
    private String mechanism;
    private boolean rawTokens;
    private long pendingThrottleMs;

    public KafkaSession(BrokerSecurity security, String listenerName, Protocol protocol, String host,
                        String tlsPrincipal) {
        this.security = security;
        this.listenerName = listenerName;
        this.protocol = protocol;
        this.host = host;
        if (protocol.sasl()) {
            state = State.HANDSHAKE;
        } else {
            state = State.AUTHENTICATED;
            principal = tlsPrincipal != null ? tlsPrincipal : BrokerSecurity.ANONYMOUS;
        }
    }

    /** A PLAINTEXT session without broker security (tests, and listeners started without it). */
    public static KafkaSession plaintext(String listenerName, String host) {
        return new KafkaSession(null, listenerName, Protocol.PLAINTEXT, host, null);
    }

    /** The broker's security, or null when the listener runs without it. */
    public BrokerSecurity security() {
        return security;
    }

    public String listenerName() {
        return listenerName;
    }

    public Protocol protocol() {
        return protocol;
    }

    /** The client's IP address, as ACL hosts name it. */
    public String host() {
        return host;
    }

    /** {@code User:NAME}; null until a SASL client has authenticated. */
    public String principal() {
        return principal;
    }

    public boolean authenticated() {
        return state == State.AUTHENTICATED;
    }

    public State state() {
        return state;
    }

    public void startSasl(String mechanism, SaslExchange exchange, boolean rawTokens) {
        this.mechanism = mechanism;
        this.exchange = exchange;
        this.rawTokens = rawTokens;
        this.state = State.AUTHENTICATE;
    }

    public SaslExchange exchange() {
        return exchange;
    }

    public String mechanism() {
        return mechanism;
    }

    /** True after a SaslHandshake v0: the next frames are bare SASL tokens, not Kafka requests. */
    public boolean expectsRawTokens() {
        return rawTokens && state == State.AUTHENTICATE;
    }

    public void authenticated(String user) {
        principal = "User:" + user;
        state = State.AUTHENTICATED;
        exchange = null;
    }

    /**
     * A client over its quota: after the current answer is sent the connection reads nothing more for
     * {@code ms}, as Kafka mutes a throttled channel.
     */
    public void throttle(long ms) {
        pendingThrottleMs = Math.max(pendingThrottleMs, ms);
    }

    /** The throttle to apply after the answer being sent, once; 0 when none. */
    public long takeThrottleMs() {
        long ms = pendingThrottleMs;
        pendingThrottleMs = 0;
        return ms;
    }

    public void failed() {
        state = State.FAILED;
        exchange = null;
    }
}
