package io.tributary.core.config;

import static io.tributary.core.config.ConfigDef.Importance.HIGH;
import static io.tributary.core.config.ConfigDef.Importance.LOW;
import static io.tributary.core.config.ConfigDef.Importance.MEDIUM;
import static io.tributary.core.config.ConfigDef.Type.BOOLEAN;
import static io.tributary.core.config.ConfigDef.Type.INT;
import static io.tributary.core.config.ConfigDef.Type.LIST;
import static io.tributary.core.config.ConfigDef.Type.LONG;
import static io.tributary.core.config.ConfigDef.Type.STRING;
import static io.tributary.core.config.Validator.atLeast;
import static io.tributary.core.config.Validator.between;

import java.util.List;

/** Settings of the MQTT gateway. They live beside the broker's keys so one file and one parser cover both. */
public final class MqttConfigDef {

    public static final String MQTT_LISTENERS = "mqtt.listeners";
    public static final String MQTT_TOPIC_MAPPINGS = "mqtt.topic.mappings";
    public static final String MQTT_ALLOW_ANONYMOUS = "mqtt.allow.anonymous";
    public static final String MQTT_CREDENTIALS_FILE = "mqtt.credentials.file";
    public static final String MQTT_MAX_PACKET_BYTES = "mqtt.max.packet.bytes";
    public static final String MQTT_RECEIVE_MAXIMUM = "mqtt.receive.maximum";
    public static final String MQTT_MAX_INFLIGHT = "mqtt.max.inflight";
    public static final String MQTT_MAX_QUEUED_MESSAGES = "mqtt.max.queued.messages";
    public static final String MQTT_KAFKA_RECORD_QOS = "mqtt.kafka.record.qos";
    public static final String MQTT_SESSION_EXPIRY_MAX_SECONDS = "mqtt.session.expiry.max.seconds";
    public static final String MQTT_SESSION_CHECKPOINT_MS = "mqtt.session.checkpoint.interval.ms";
    public static final String MQTT_CONNECT_TIMEOUT_SECONDS = "mqtt.connect.timeout.seconds";
    public static final String MQTT_MAX_KEEP_ALIVE_SECONDS = "mqtt.max.keep.alive.seconds";
    public static final String MQTT_TOPIC_ALIAS_MAXIMUM = "mqtt.topic.alias.maximum";
    public static final String MQTT_OUTBOUND_TOPIC_ALIASES = "mqtt.outbound.topic.aliases";
    public static final String MQTT_MAX_CONNECTIONS_PER_IP = "mqtt.max.connections.per.ip";
    public static final String MQTT_RESPONSE_INFORMATION = "mqtt.response.information";

    private MqttConfigDef() {
    }

    static ConfigDef addTo(ConfigDef def) {
        return def
                .define(MQTT_LISTENERS, LIST, List.of("MQTT://127.0.0.1:1883"), null, HIGH,
                        "Comma-separated NAME://host:port the MQTT gateway listens on; empty disables MQTT."
                                + " Port 0 picks a free port.")
                .define(MQTT_TOPIC_MAPPINGS, LIST, List.of(), null, MEDIUM,
                        "Comma-separated MQTT-filter:kafka-topic pairs; a publish whose topic matches a filter goes"
                                + " to that Kafka topic instead of the one named by its first level.")
                .define(MQTT_ALLOW_ANONYMOUS, BOOLEAN, true, null, HIGH,
                        "Accept clients that send no username.")
                .define(MQTT_CREDENTIALS_FILE, STRING, "", null, HIGH,
                        "File of users (PBKDF2 password hashes) and their topic permissions; empty: no users.")
                .define(MQTT_MAX_PACKET_BYTES, INT, 1048576, atLeast(64), MEDIUM,
                        "Largest MQTT packet accepted; a larger one disconnects the client.")
                .define(MQTT_RECEIVE_MAXIMUM, INT, 100, between(1, 65535), MEDIUM,
                        "Unacknowledged QoS 1/2 publishes a client may send at once (MQTT 5 Receive Maximum).")
                .define(MQTT_MAX_INFLIGHT, INT, 100, between(1, 65535), MEDIUM,
                        "Unacknowledged QoS 1/2 messages sent to one client at once (lowered by its Receive Maximum).")
                .define(MQTT_MAX_QUEUED_MESSAGES, INT, 1000, atLeast(1), MEDIUM,
                        "Messages read from the log and buffered for one client; when full, reading stops until it catches up.")
                .define(MQTT_KAFKA_RECORD_QOS, INT, 1, between(0, 2), LOW,
                        "QoS given to records that carry no MQTT QoS header (produced by Kafka clients).")
                .define(MQTT_SESSION_EXPIRY_MAX_SECONDS, LONG, -1L, atLeast(-1), MEDIUM,
                        "Longest a disconnected persistent session is kept; -1: as long as the client asks.")
                .define(MQTT_SESSION_CHECKPOINT_MS, LONG, 1000L, atLeast(10), LOW,
                        "How often changed session positions are written to __mqtt_sessions.")
                .define(MQTT_CONNECT_TIMEOUT_SECONDS, INT, 30, atLeast(1), LOW,
                        "Seconds a new TCP connection has to deliver its whole CONNECT packet; a connection that"
                                + " has not (idle, or sending it byte by byte) is closed.")
                .define(MQTT_MAX_KEEP_ALIVE_SECONDS, INT, 0, between(0, 65535), MEDIUM,
                        "Longest keep-alive a client may use; an MQTT 5 client asking for more (or none) is told this"
                                + " Server Keep Alive, an MQTT 3.1.1 client is refused. 0: no maximum.")
                .define(MQTT_TOPIC_ALIAS_MAXIMUM, INT, 64, between(0, 65535), LOW,
                        "Topic aliases an MQTT 5 client may use in its PUBLISHes (Topic Alias Maximum); 0: none.")
                .define(MQTT_OUTBOUND_TOPIC_ALIASES, INT, 64, between(0, 65535), LOW,
                        "Most topic aliases the gateway assigns in PUBLISHes to one MQTT 5 client (never more than the"
                                + " client's Topic Alias Maximum); 0: none.")
                .define(MQTT_MAX_CONNECTIONS_PER_IP, INT, Integer.MAX_VALUE, atLeast(0), MEDIUM,
                        "Connections one client address may hold open at once on each MQTT listener (counted from"
                                + " the TCP accept, before CONNECT); more are closed at once. MQTT over WebSocket"
                                + " arrives from 127.0.0.1.")
                .define(MQTT_RESPONSE_INFORMATION, STRING, "responses/%c", null, LOW,
                        "Response Information given to an MQTT 5 client that asks for it in its CONNECT: the topic"
                                + " prefix for responses to its requests; %c is its client id, %u its username."
                                + " Empty: none is given.");
    }
}
