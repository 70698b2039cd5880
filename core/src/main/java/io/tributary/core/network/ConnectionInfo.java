package io.tributary.core.network;

import io.tributary.core.security.KafkaSession;

/**
 * Who is on the other end of a connection and which listener accepted it.
 *
 * @param localPort the port the client connected to: the real one even when the listener was
 *                  configured with port 0
 * @param session   the connection's security state: protocol, authentication, principal
 */
public record ConnectionInfo(String listenerName, String remoteAddress, int localPort, long connectionId,
                             KafkaSession session) {

    /** A connection on a PLAINTEXT listener without broker security. */
    public ConnectionInfo(String listenerName, String remoteAddress, int localPort, long connectionId) {
        this(listenerName, remoteAddress, localPort, connectionId, KafkaSession.plaintext(listenerName, remoteAddress));
    }
}
