package io.tributary.core.network;

/** Who is on the other end of a connection and which listener accepted it. */
public record ConnectionInfo(String listenerName, String remoteAddress, long connectionId) {
}
