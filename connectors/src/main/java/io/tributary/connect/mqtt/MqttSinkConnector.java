package io.tributary.connect.mqtt;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Bridges topics out to an external MQTT broker: each record is published, QoS 1 by default, to the MQTT topic
 * made from mqtt.topic (${topic} and ${key} are replaced). Positions are committed only after the MQTT broker
 * acknowledged the publishes.
 */
public final class MqttSinkConnector extends SinkConnector {

    static final String MQTT_TOPIC = "mqtt.topic";
    static final String RETAINED = "mqtt.retained";

    static final ConfigDef CONFIG = MqttSettings.common()
            .define(MQTT_TOPIC, Type.STRING, "${topic}", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "MQTT topic of each message; ${topic} is the record's topic, ${key} its key.")
            .define(RETAINED, Type.BOOLEAN, false, Importance.LOW, "Publish messages as retained.");

    private Map<String, String> config;

    @Override
    public void start(Map<String, String> props) {
        CONFIG.parse(props);
        config = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return MqttSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> task = new java.util.HashMap<>(config);
            task.put("task.id", String.valueOf(i));
            configs.add(task);
        }
        return Collections.unmodifiableList(configs);
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
