package io.tributary.gateway.mqtt;

/**
 * A connected MQTT client.
 *
 * @param username        the CONNECT username, or null for an anonymous client
 * @param remoteAddress   the peer's host:port
 * @param protocolVersion {@code 3.1}, {@code 3.1.1} or {@code 5.0}
 * @param connectedAtMs   when the connection was accepted (epoch milliseconds)
 * @param subscriptions   subscriptions of its session
 */
public record MqttClientInfo(String clientId, String username, String remoteAddress, String protocolVersion,
                             long connectedAtMs, int subscriptions) {
}
