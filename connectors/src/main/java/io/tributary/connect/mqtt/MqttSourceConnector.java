package io.tributary.connect.mqtt;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

import java.util.List;
import java.util.Map;

/**
 * Bridges an external MQTT broker into a topic: subscribes to topic filters and publishes each message as a
 * record keyed by its MQTT topic. A QoS 1/2 message is acknowledged to the MQTT broker only once the record
 * is in the log, so with a persistent session nothing is lost when the bridge stops.
 */
public final class MqttSourceConnector extends SourceConnector {

    static final String MQTT_TOPICS = "mqtt.topics";
    static final String KAFKA_TOPIC = "kafka.topic";
    static final String CLEAN_SESSION = "mqtt.clean.session";

    static final ConfigDef CONFIG = MqttSettings.common()
            .define(MQTT_TOPICS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                    "MQTT topic filters to subscribe to (+ and # wildcards allowed).")
            .define(KAFKA_TOPIC, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Topic the messages are written to.")
            .define(CLEAN_SESSION, Type.BOOLEAN, false, Importance.LOW,
                    "Start a fresh MQTT session each time (messages sent while stopped are then lost).");

    private Map<String, String> config;

    @Override
    public void start(Map<String, String> props) {
        CONFIG.parse(props);
        config = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return MqttSourceTask.class;
    }

    /** One task: several subscribers of the same filters would each receive every message. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(config);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public String version() {
        return "1.0";
    }
}
