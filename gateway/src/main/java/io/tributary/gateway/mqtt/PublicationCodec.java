package io.tributary.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.tributary.core.api.NewRecord;
import io.tributary.core.api.RecordHeader;
import io.tributary.core.api.StoredRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Publications as records and back. The key is the MQTT topic and the value the payload; MQTT's own fields
 * travel in headers prefixed {@code mqtt.}, MQTT 5 user properties as headers under their own names so Kafka
 * consumers see them plainly.
 */
final class PublicationCodec {

    static final String QOS = "mqtt.qos";
    static final String RETAIN = "mqtt.retain";
    static final String CLIENT_ID = "mqtt.client.id";
    static final String CONTENT_TYPE = "content-type";
    /** MQTT 5 Message Expiry Interval in seconds, counted from the record's timestamp. */
    static final String EXPIRY = "mqtt.message.expiry.interval";
    /** MQTT 5 Response Topic of a request. */
    static final String RESPONSE_TOPIC = "mqtt.response.topic";
    /** MQTT 5 Correlation Data of a request or response, the bytes as sent. */
    static final String CORRELATION_DATA = "mqtt.correlation.data";
    /** MQTT 5 Payload Format Indicator, {@code 1} (UTF-8 text) when set; absent means unspecified bytes. */
    static final String PAYLOAD_FORMAT = "mqtt.payload.format.indicator";

    private PublicationCodec() {
    }

    static NewRecord toRecord(Publication p) {
        List<RecordHeader> headers = new ArrayList<>(4 + p.userProperties().size());
        headers.add(new RecordHeader(QOS, ascii(Integer.toString(p.qos()))));
        if (p.retain()) {
            headers.add(new RecordHeader(RETAIN, ascii("true")));
        }
        if (p.publisherId() != null) {
            headers.add(new RecordHeader(CLIENT_ID, p.publisherId().getBytes(StandardCharsets.UTF_8)));
        }
        if (p.contentType() != null) {
            headers.add(new RecordHeader(CONTENT_TYPE, p.contentType().getBytes(StandardCharsets.UTF_8)));
        }
        if (p.expiresAt() != 0) {
            headers.add(new RecordHeader(EXPIRY, ascii(Long.toString(p.remainingExpirySeconds(System.currentTimeMillis())))));
        }
        if (p.responseTopic() != null) {
            headers.add(new RecordHeader(RESPONSE_TOPIC, p.responseTopic().getBytes(StandardCharsets.UTF_8)));
        }
        if (p.correlationData() != null) {
            headers.add(new RecordHeader(CORRELATION_DATA, p.correlationData()));
        }
        if (p.utf8Payload()) {
            headers.add(new RecordHeader(PAYLOAD_FORMAT, ascii("1")));
        }
        for (Publication.UserProperty u : p.userProperties()) {
            headers.add(new RecordHeader(u.name(), u.value() == null ? null : u.value().getBytes(StandardCharsets.UTF_8)));
        }
        return new NewRecord(p.topic().getBytes(StandardCharsets.UTF_8), p.payload(), headers, NewRecord.NOW);
    }

    /** A record read back as a publication under {@code mqttTopic}; records without MQTT headers get {@code defaultQos}. */
    static Publication fromRecord(StoredRecord r, String mqttTopic, int defaultQos) {
        int qos = defaultQos;
        boolean retain = false;
        String clientId = null;
        String contentType = null;
        long expiresAt = 0;
        String responseTopic = null;
        byte[] correlationData = null;
        boolean utf8 = false;
        List<Publication.UserProperty> user = new ArrayList<>();
        for (RecordHeader h : r.headers()) {
            if (CORRELATION_DATA.equals(h.key())) {
                correlationData = h.value() == null ? new byte[0] : h.value(); // binary: kept as it is
                continue;
            }
            String v = h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
            switch (h.key()) {
                case QOS -> qos = parseQos(v, defaultQos);
                case RETAIN -> retain = "true".equals(v);
                case CLIENT_ID -> clientId = v;
                case CONTENT_TYPE -> contentType = v;
                case EXPIRY -> expiresAt = expiresAt(r.timestamp(), v);
                case RESPONSE_TOPIC -> responseTopic = TopicFilter.isValidTopicName(v) ? v : null;
                case PAYLOAD_FORMAT -> utf8 = "1".equals(v);
                default -> user.add(new Publication.UserProperty(h.key(), v == null ? "" : v));
            }
        }
        byte[] payload = r.value() == null ? new byte[0] : r.value();
        return new Publication(mqttTopic, payload, qos, retain, contentType, user, clientId, expiresAt, responseTopic,
                correlationData, utf8);
    }

    /**
     * An MQTT PUBLISH (or will) as a publication; its MQTT 5 properties are read only for an MQTT 5 client, and its
     * expiry interval counts from {@code nowMs}.
     */
    static Publication fromMqtt(String topic, byte[] payload, int qos, boolean retain, MqttProperties props, boolean v5,
                                String clientId, long nowMs) {
        if (!v5 || props == null) {
            return new Publication(topic, payload, qos, retain, clientId);
        }
        MqttProperties.MqttProperty<?> response = props.getProperty(MqttProperties.RESPONSE_TOPIC);
        MqttProperties.MqttProperty<?> correlation = props.getProperty(MqttProperties.CORRELATION_DATA);
        return new Publication(topic, payload, qos, retain, contentType(props), userProperties(props), clientId,
                expiresAt(props, nowMs), response == null ? null : (String) response.value(),
                correlation == null ? null : (byte[]) correlation.value(), isUtf8Declared(props));
    }

    /** Whether the MQTT 5 Payload Format Indicator says the payload is UTF-8. */
    static boolean isUtf8Declared(MqttProperties props) {
        MqttProperties.MqttProperty<?> p = props == null ? null : props.getProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR);
        return p != null && Integer.valueOf(1).equals(p.value());
    }

    /** The Response Topic of MQTT 5 properties when it is not a valid topic name (wildcards, empty), else null. */
    static String invalidResponseTopic(MqttProperties props) {
        MqttProperties.MqttProperty<?> p = props == null ? null : props.getProperty(MqttProperties.RESPONSE_TOPIC);
        if (p == null || !(p.value() instanceof String topic)) {
            return null;
        }
        return TopicFilter.isValidTopicName(topic) && topic.indexOf('\uFFFD') < 0 ? null : topic;
    }

    /** The MQTT 5 Message Expiry Interval in seconds, -1 when there is none. */
    static long expirySeconds(MqttProperties props) {
        MqttProperties.MqttProperty<?> p = props == null ? null : props.getProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL);
        return p != null && p.value() instanceof Integer seconds ? Integer.toUnsignedLong(seconds) : -1;
    }

    private static long expiresAt(long timestamp, String seconds) {
        try {
            return timestamp + Long.parseLong(seconds.trim()) * 1000;
        } catch (RuntimeException e) {
            return 0; // unreadable: the message does not expire
        }
    }

    /** When a message with these MQTT 5 properties, received at {@code nowMs}, expires (0: never). */
    static long expiresAt(MqttProperties props, long nowMs) {
        long seconds = expirySeconds(props);
        return seconds < 0 ? 0 : nowMs + seconds * 1000;
    }

    /** The MQTT 5 properties of an outbound PUBLISH; {@code topicAlias} 0 for none. */
    static MqttProperties properties(Publication p, List<Integer> subscriptionIds, int topicAlias) {
        if (p.contentType() == null && p.userProperties().isEmpty() && subscriptionIds.isEmpty() && p.expiresAt() == 0
                && p.responseTopic() == null && p.correlationData() == null && !p.utf8Payload() && topicAlias == 0) {
            return MqttProperties.NO_PROPERTIES;
        }
        MqttProperties props = new MqttProperties();
        if (p.utf8Payload()) {
            props.add(new MqttProperties.IntegerProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR, 1));
        }
        if (p.expiresAt() != 0) {
            props.add(new MqttProperties.IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL,
                    (int) Math.min(Integer.MAX_VALUE, p.remainingExpirySeconds(System.currentTimeMillis()))));
        }
        if (topicAlias > 0) {
            props.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, topicAlias));
        }
        if (p.responseTopic() != null) {
            props.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, p.responseTopic()));
        }
        if (p.correlationData() != null) {
            props.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, p.correlationData()));
        }
        if (p.contentType() != null) {
            props.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, p.contentType()));
        }
        if (!p.userProperties().isEmpty()) {
            MqttProperties.UserProperties user = new MqttProperties.UserProperties();
            p.userProperties().forEach(u -> user.add(u.name(), u.value()));
            props.add(user);
        }
        for (Integer id : subscriptionIds) {
            props.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, id));
        }
        return props;
    }

    /** Content type and user properties of an inbound PUBLISH (or will). */
    static String contentType(MqttProperties props) {
        MqttProperties.MqttProperty<?> p = props == null ? null : props.getProperty(MqttProperties.CONTENT_TYPE);
        return p == null ? null : (String) p.value();
    }

    static List<Publication.UserProperty> userProperties(MqttProperties props) {
        if (props == null) {
            return List.of();
        }
        List<Publication.UserProperty> out = new ArrayList<>();
        for (MqttProperties.MqttProperty<?> p : props.getProperties(MqttProperties.USER_PROPERTY)) {
            if (p.value() instanceof MqttProperties.StringPair pair) {
                out.add(new Publication.UserProperty(pair.key, pair.value));
            } else if (p.value() instanceof List<?> pairs) {
                for (Object o : pairs) {
                    MqttProperties.StringPair pair = (MqttProperties.StringPair) o;
                    out.add(new Publication.UserProperty(pair.key, pair.value));
                }
            }
        }
        return out;
    }

    /**
     * The exact encoded size of an outbound MQTT 5 PUBLISH of {@code p} (as {@link #properties} builds it) under
     * {@code topicName} (empty when only a topic alias is sent), to respect a client's Maximum Packet Size.
     */
    static int packetBytes(Publication p, String topicName, int qos, List<Integer> subscriptionIds, int topicAlias) {
        int props = 0;
        if (p.utf8Payload()) {
            props += 1 + 1;
        }
        if (p.expiresAt() != 0) {
            props += 1 + 4;
        }
        if (topicAlias > 0) {
            props += 1 + 2;
        }
        if (p.responseTopic() != null) {
            props += 1 + 2 + utf8Length(p.responseTopic());
        }
        if (p.correlationData() != null) {
            props += 1 + 2 + p.correlationData().length;
        }
        if (p.contentType() != null) {
            props += 1 + 2 + utf8Length(p.contentType());
        }
        for (Publication.UserProperty u : p.userProperties()) {
            props += 1 + 2 + utf8Length(u.name()) + 2 + utf8Length(u.value());
        }
        for (Integer id : subscriptionIds) {
            props += 1 + varIntBytes(id);
        }
        int remaining = 2 + utf8Length(topicName) + (qos > 0 ? 2 : 0) + varIntBytes(props) + props + p.payload().length;
        return 1 + varIntBytes(remaining) + remaining;
    }

    private static int varIntBytes(int value) {
        int bytes = 1;
        while (value >= 128) {
            value >>>= 7;
            bytes++;
        }
        return bytes;
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static int parseQos(String v, int fallback) {
        if (v != null && v.length() == 1 && v.charAt(0) >= '0' && v.charAt(0) <= '2') {
            return v.charAt(0) - '0';
        }
        return fallback;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
