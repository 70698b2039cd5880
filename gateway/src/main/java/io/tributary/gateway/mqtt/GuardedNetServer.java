package io.tributary.gateway.mqtt;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.tls.SslContextProvider;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrafficShapingOptions;
import io.vertx.core.net.impl.NetServerInternal;

import java.util.concurrent.TimeUnit;

/** The MQTT server's TCP server, with every accepted socket shown to the {@link MqttConnectGuard} first. */
final class GuardedNetServer implements NetServerInternal {

    private final NetServerInternal delegate;
    private final MqttConnectGuard guard;

    GuardedNetServer(NetServerInternal delegate, MqttConnectGuard guard) {
        this.delegate = delegate;
        this.guard = guard;
    }

    @Override
    public NetServerInternal connectHandler(Handler<NetSocket> handler) {
        delegate.connectHandler(handler == null ? null : socket -> {
            if (guard.accepted(socket)) {
                handler.handle(socket);
            }
        });
        return this;
    }

    @Override
    public Handler<NetSocket> connectHandler() {
        return delegate.connectHandler();
    }

    @Override
    public NetServerInternal exceptionHandler(Handler<Throwable> handler) {
        delegate.exceptionHandler(handler);
        return this;
    }

    @Override
    public SslContextProvider sslContextProvider() {
        return delegate.sslContextProvider();
    }

    @Override
    public Future<NetServer> listen(ContextInternal context, SocketAddress localAddress) {
        return delegate.listen(context, localAddress);
    }

    @Override
    public Future<NetServer> listen() {
        return delegate.listen();
    }

    @Override
    public Future<NetServer> listen(SocketAddress localAddress) {
        return delegate.listen(localAddress);
    }

    @Override
    public Future<Void> shutdown(long timeout, TimeUnit unit) {
        return delegate.shutdown(timeout, unit);
    }

    @Override
    public int actualPort() {
        return delegate.actualPort();
    }

    @Override
    public Future<Boolean> updateSSLOptions(ServerSSLOptions options, boolean force) {
        return delegate.updateSSLOptions(options, force);
    }

    @Override
    public Future<Boolean> updateTrafficShapingOptions(TrafficShapingOptions options) {
        return delegate.updateTrafficShapingOptions(options);
    }

    @Override
    public boolean isMetricsEnabled() {
        return delegate.isMetricsEnabled();
    }
}
