package io.tributary.gateway.mqtt;

/**
 * The MQTT 5 Response Information a client gets in its CONNACK when it sets Request Response Information: a part of
 * the topic tree for its responses, made from the {@code mqtt.response.information} template with {@code %c}
 * replaced by the client id and {@code %u} by the username, as in the credentials file's grants.
 */
final class ResponseInformation {

    private ResponseInformation() {
    }

    /**
     * The value for one client, or null when there is none to give: an empty template, or a client id or username
     * that would not make a valid topic name (a wildcard in it, say).
     */
    static String forClient(String template, String clientId, String username) {
        if (template == null || template.isEmpty()) {
            return null;
        }
        String value = template.replace("%c", clientId).replace("%u", username == null ? "" : username);
        return TopicFilter.isValidTopicName(value) ? value : null;
    }
}
