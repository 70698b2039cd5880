package io.tributary.core.network;

/**
 * Who is on the other end of a connection and which listener accepted it.
 *
 * @param localPort the port the client connected to: the real one even when the listener was
 *                  configured with port 0
 */
public record ConnectionInfo(String listenerName, String remoteAddress, int localPort, long connectionId) {
}
