package io.tributary.gateway.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;

/**
 * Trims what Vert.x keeps for every MQTT connection. A Vert.x 5 socket is created with an outbound queue meant for
 * writes from any thread: a multi-producer queue whose first chunk (1,024 slots, about 4.7 kB with its header) is
 * allocated up front, which is half of what an idle MQTT connection costs. The gateway writes to a connection only
 * on its event loop, so the connection can use the direct write path Vert.x uses in strict thread mode (each write
 * goes straight to the channel, Netty's own outbound buffer still applies) and the queue is dropped.
 *
 * <p>Vert.x exposes no option for this on plain TCP servers, hence reflection; when the internals differ (another
 * Vert.x version) the connection simply keeps its queue and everything works as before.
 */
final class LeanConnection {

    private static final Logger LOG = LoggerFactory.getLogger(LeanConnection.class);

    private static final Field ENDPOINT_CONNECTION;
    private static final Field OUTBOUND_QUEUE;
    private static final Constructor<?> DIRECT_QUEUE;

    static {
        Field endpointConnection = null;
        Field outboundQueue = null;
        Constructor<?> directQueue = null;
        try {
            Class<?> endpointImpl = Class.forName("io.vertx.mqtt.impl.MqttEndpointImpl");
            Class<?> vertxConnection = Class.forName("io.vertx.core.net.impl.VertxConnection");
            Class<?> direct = Class.forName("io.vertx.core.net.impl.VertxConnection$DirectOutboundMessageQueue");
            endpointConnection = endpointImpl.getDeclaredField("conn");
            endpointConnection.setAccessible(true);
            outboundQueue = vertxConnection.getDeclaredField("outboundMessageQueue");
            outboundQueue.setAccessible(true);
            directQueue = direct.getDeclaredConstructor(vertxConnection);
            directQueue.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("MQTT connections keep Vert.x's outbound queue: {}", e.toString());
            endpointConnection = null;
        }
        ENDPOINT_CONNECTION = endpointConnection;
        OUTBOUND_QUEUE = outboundQueue;
        DIRECT_QUEUE = directQueue;
    }

    private LeanConnection() {
    }

    /** Whether connections are trimmed (the Vert.x internals are as expected). */
    static boolean enabled() {
        return ENDPOINT_CONNECTION != null;
    }

    /** The endpoint's socket (to pause and resume reading it), or null when it cannot be reached. */
    static NetSocketInternal socket(MqttEndpoint endpoint) {
        if (ENDPOINT_CONNECTION == null) {
            return null;
        }
        try {
            return ENDPOINT_CONNECTION.get(endpoint) instanceof NetSocketInternal socket ? socket : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The Netty context Vert.x writes the endpoint's packets through, to write several packets and flush once; null
     * when it cannot be reached (then the endpoint's own methods are used).
     */
    static ChannelHandlerContext channel(MqttEndpoint endpoint) {
        if (ENDPOINT_CONNECTION == null) {
            return null;
        }
        try {
            return ENDPOINT_CONNECTION.get(endpoint) instanceof NetSocketInternal socket
                    ? socket.channelHandlerContext() : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Removes the per-connection keep-alive timer Vert.x installs after CONNECT (an idle-state handler scheduling a
     * task per connection, plus the handler closing the connection on its event), so that the gateway can check
     * keep-alive itself with one sweep per event loop. False when the pipeline could not be reached: Vert.x's own
     * keep-alive then stays in charge.
     */
    static boolean dropKeepAliveTimer(MqttEndpoint endpoint) {
        if (ENDPOINT_CONNECTION == null) {
            return false;
        }
        try {
            Object connection = ENDPOINT_CONNECTION.get(endpoint);
            if (!(connection instanceof NetSocketInternal socket)) {
                return false;
            }
            ChannelPipeline pipeline = socket.channelHandlerContext().pipeline();
            if (pipeline.get("idle") != null) {
                pipeline.remove("idle");
            }
            if (pipeline.get("keepAliveHandler") != null) {
                pipeline.remove("keepAliveHandler");
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("MQTT connection keeps Vert.x's keep-alive timer: {}", e.toString());
            return false;
        }
    }

    /**
     * Switches a new endpoint's socket to direct writes. Must run on the connection's event loop before anything
     * is written to it (that is, before CONNACK).
     */
    static void trim(MqttEndpoint endpoint) {
        if (ENDPOINT_CONNECTION == null) {
            return;
        }
        try {
            Object connection = ENDPOINT_CONNECTION.get(endpoint);
            Class<?> declaring = OUTBOUND_QUEUE.getDeclaringClass();
            if (declaring.isInstance(connection)) {
                OUTBOUND_QUEUE.set(connection, DIRECT_QUEUE.newInstance(connection));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("MQTT connection keeps Vert.x's outbound queue: {}", e.toString());
        }
    }
}
