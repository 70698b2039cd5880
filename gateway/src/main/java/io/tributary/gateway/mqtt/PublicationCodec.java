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

    private PublicationCodec() {
    }

    static NewRecord toRecord(Publication p) {
        List<RecordHeader> headers = new ArrayList<>(3 + p.userProperties().size());
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
        List<Publication.UserProperty> user = new ArrayList<>();
        for (RecordHeader h : r.headers()) {
            String v = h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
            switch (h.key()) {
                case QOS -> qos = parseQos(v, defaultQos);
                case RETAIN -> retain = "true".equals(v);
                case CLIENT_ID -> clientId = v;
                case CONTENT_TYPE -> contentType = v;
                case EXPIRY -> expiresAt = expiresAt(r.timestamp(), v);
                default -> user.add(new Publication.UserProperty(h.key(), v == null ? "" : v));
            }
        }
        byte[] payload = r.value() == null ? new byte[0] : r.value();
        return new Publication(mqttTopic, payload, qos, retain, contentType, user, clientId, expiresAt);
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
        MqttProperties.MqttProperty<?> p = props == null ? null : props.getProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL);
        return p != null && p.value() instanceof Integer seconds ? nowMs + Integer.toUnsignedLong(seconds) * 1000 : 0;
    }

    /** The MQTT 5 properties of an outbound PUBLISH. */
    static MqttProperties properties(Publication p, List<Integer> subscriptionIds) {
        if (p.contentType() == null && p.userProperties().isEmpty() && subscriptionIds.isEmpty() && p.expiresAt() == 0) {
            return MqttProperties.NO_PROPERTIES;
        }
        MqttProperties props = new MqttProperties();
        if (p.expiresAt() != 0) {
            props.add(new MqttProperties.IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL,
                    (int) Math.min(Integer.MAX_VALUE, p.remainingExpirySeconds(System.currentTimeMillis()))));
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
     * The exact encoded size of an outbound MQTT 5 PUBLISH of {@code p} (as {@link #properties} builds it), to respect a
     * client's Maximum Packet Size.
     */
    static int packetBytes(Publication p, int qos, List<Integer> subscriptionIds) {
        int props = 0;
        if (p.expiresAt() != 0) {
            props += 1 + 4;
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
        int remaining = 2 + utf8Length(p.topic()) + (qos > 0 ? 2 : 0) + varIntBytes(props) + props + p.payload().length;
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
