package io.tributary.core.network;

import io.tributary.core.config.ListenerProtocols.Protocol;
import io.tributary.core.security.BrokerSecurity;
import io.tributary.core.security.KafkaSession;
import io.tributary.core.security.tls.TlsServerOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Accepts Kafka protocol connections on one listener. One instance runs per event loop; Vert.x
 * spreads accepted connections across the instances listening on the same address.
 */
public final class KafkaListenerVerticle extends VerticleBase {

    private static final AtomicLong CONNECTION_IDS = new AtomicLong();

    private final String listenerName;
    private final String host;
    private final int port;
    private final int maxFrameBytes;
    private final RequestProcessor processor;
    private final BrokerSecurity security;
    private final Protocol protocol;
    private final ConnectionLimits limits;
    private SocketBuffers socketBuffers = SocketBuffers.OS_DEFAULT;
    private final Set<KafkaConnection> connections = new HashSet<>();
    private NetServer server;
    private boolean stopping;

    public KafkaListenerVerticle(String listenerName, String host, int port, int maxFrameBytes,
                                 RequestProcessor processor) {
        this(listenerName, host, port, maxFrameBytes, processor, null, Protocol.PLAINTEXT, ConnectionLimits.none());
    }

    /**
     * A listener speaking {@code protocol}: TLS from the broker's ssl.* keys when it is SSL or SASL_SSL, SASL
     * authentication before anything else when it is SASL_*.
     */
    public KafkaListenerVerticle(String listenerName, String host, int port, int maxFrameBytes,
                                 RequestProcessor processor, BrokerSecurity security, Protocol protocol,
                                 ConnectionLimits limits) {
        this.security = security;
        this.protocol = protocol;
        this.limits = limits;
        this.listenerName = listenerName;
        this.host = host;
        this.port = port;
        this.maxFrameBytes = maxFrameBytes;
        this.processor = processor;
    }

    /** The kernel buffer sizes of this listener's connections; call before deploying. */
    public KafkaListenerVerticle withSocketBuffers(SocketBuffers buffers) {
        this.socketBuffers = buffers;
        return this;
    }

    @Override
    public Future<?> start() {
        NetServerOptions options = new NetServerOptions()
                .setHost(host)
                .setPort(port)
                .setTcpNoDelay(true)
                .setReuseAddress(true)
                .setAcceptBacklog(1024);
        socketBuffers.apply(options);
        if (protocol.tls()) {
            TlsServerOptions.apply(options, security.config(), listenerName);
        }
        if (limits.maxIdleMs() > 0) {
            // Closes idle connections, and slow or half-open ones that stopped mid-request.
            options.setIdleTimeout((int) Math.min(Integer.MAX_VALUE, limits.maxIdleMs()))
                    .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        }
        server = vertx.createNetServer(options);
        server.connectHandler(socket -> {
            String ip = socket.remoteAddress() == null ? "" : socket.remoteAddress().hostAddress();
            if (stopping || (security != null && security.failures().blocked(ip)) || !limits.tryOpen(ip)) {
                socket.close();
                return;
            }
            String tlsPrincipal = protocol.tls() && security != null ? security.principalOf(socket.sslSession()) : null;
            KafkaSession session = new KafkaSession(security, listenerName, protocol, ip, tlsPrincipal);
            ConnectionInfo info = new ConnectionInfo(listenerName, String.valueOf(socket.remoteAddress()),
                    socket.localAddress().port(), CONNECTION_IDS.incrementAndGet(), session);
            KafkaConnection[] self = new KafkaConnection[1];
            self[0] = new KafkaConnection(socket, processor, info, maxFrameBytes, limits.maxInFlight(), () -> {
                connections.remove(self[0]);
                limits.closed(ip);
            });
            connections.add(self[0]);
        });
        return server.listen();
    }

    /** The port actually bound (differs from the configured one when that was 0). */
    public int actualPort() {
        return server.actualPort();
    }

    /** Stops accepting, answers every request already read, then closes the connections. */
    @Override
    public Future<?> stop() {
        stopping = true;
        List<Future<Void>> drains = new ArrayList<>();
        for (KafkaConnection connection : new ArrayList<>(connections)) {
            drains.add(connection.drain());
        }
        Promise<Void> done = Promise.promise();
        long timer = vertx.setTimer(10_000, t -> done.tryComplete());
        Future.join(drains).onComplete(ar -> {
            vertx.cancelTimer(timer);
            done.tryComplete();
        });
        return done.future().compose(v -> {
            new ArrayList<>(connections).forEach(KafkaConnection::close);
            return server.close();
        });
    }
}
