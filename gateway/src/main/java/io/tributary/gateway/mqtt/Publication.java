package io.tributary.gateway.mqtt;

import java.util.List;

/**
 * An MQTT application message as the gateway handles it, inbound or outbound.
 *
 * @param contentType     MQTT 5 content type, or null
 * @param userProperties  MQTT 5 user properties in order (names may repeat)
 * @param publisherId     the client id that published it, or null for records from Kafka clients
 * @param expiresAt       MQTT 5 message expiry as epoch milliseconds, 0 when it never expires
 */
record Publication(String topic, byte[] payload, int qos, boolean retain, String contentType,
                   List<UserProperty> userProperties, String publisherId, long expiresAt) {

    record UserProperty(String name, String value) {
    }

    Publication {
        userProperties = userProperties == null ? List.of() : userProperties;
    }

    Publication(String topic, byte[] payload, int qos, boolean retain, String contentType,
                List<UserProperty> userProperties, String publisherId) {
        this(topic, payload, qos, retain, contentType, userProperties, publisherId, 0);
    }

    Publication withTopic(String newTopic) {
        return new Publication(newTopic, payload, qos, retain, contentType, userProperties, publisherId, expiresAt);
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
