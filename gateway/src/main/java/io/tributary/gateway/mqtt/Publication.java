package io.tributary.gateway.mqtt;

import java.util.List;

/**
 * An MQTT application message as the gateway handles it, inbound or outbound.
 *
 * @param contentType     MQTT 5 content type, or null
 * @param userProperties  MQTT 5 user properties in order (names may repeat)
 * @param publisherId     the client id that published it, or null for records from Kafka clients
 */
record Publication(String topic, byte[] payload, int qos, boolean retain, String contentType,
                   List<UserProperty> userProperties, String publisherId) {

    record UserProperty(String name, String value) {
    }

    Publication {
        userProperties = userProperties == null ? List.of() : userProperties;
    }

    Publication withTopic(String newTopic) {
        return new Publication(newTopic, payload, qos, retain, contentType, userProperties, publisherId);
    }
}
