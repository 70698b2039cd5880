package io.tributary.gateway.mqtt;

import java.util.List;

/**
 * An MQTT application message as the gateway handles it, inbound or outbound.
 *
 * @param contentType     MQTT 5 content type, or null
 * @param userProperties  MQTT 5 user properties in order (names may repeat)
 * @param publisherId     the client id that published it, or null for records from Kafka clients
 * @param expiresAt       MQTT 5 message expiry as epoch milliseconds, 0 when it never expires
 * @param responseTopic   MQTT 5 Response Topic (request/response), or null
 * @param correlationData MQTT 5 Correlation Data, or null
 * @param utf8Payload     MQTT 5 Payload Format Indicator 1: the payload is UTF-8 text
 */
record Publication(String topic, byte[] payload, int qos, boolean retain, String contentType,
                   List<UserProperty> userProperties, String publisherId, long expiresAt, String responseTopic,
                   byte[] correlationData, boolean utf8Payload) {

    record UserProperty(String name, String value) {
    }

    Publication {
        userProperties = userProperties == null ? List.of() : userProperties;
    }

    /** A message without MQTT 5 properties. */
    Publication(String topic, byte[] payload, int qos, boolean retain, String publisherId) {
        this(topic, payload, qos, retain, null, List.of(), publisherId, 0, null, null, false);
    }

    Publication withExpiresAt(long newExpiresAt) {
        return new Publication(topic, payload, qos, retain, contentType, userProperties, publisherId, newExpiresAt,
                responseTopic, correlationData, utf8Payload);
    }

    /** Whether its MQTT 5 message expiry interval has passed at {@code nowMs}. */
    boolean expired(long nowMs) {
        return expiresAt != 0 && expiresAt <= nowMs;
    }

    /** Whole seconds left of its expiry interval at {@code nowMs} (at least 1 while not expired); -1 if none. */
    long remainingExpirySeconds(long nowMs) {
        if (expiresAt == 0) {
            return -1;
        }
        return Math.max(1, (expiresAt - nowMs + 999) / 1000);
    }
}
