package io.tributary.core.config;

import static io.tributary.core.config.ConfigDef.Importance.HIGH;
import static io.tributary.core.config.ConfigDef.Type.LIST;

import java.util.List;

/** Settings of the MQTT gateway. They live beside the broker's keys so one file and one parser cover both. */
public final class MqttConfigDef {

    public static final String MQTT_LISTENERS = "mqtt.listeners";

    private MqttConfigDef() {
    }

    static ConfigDef addTo(ConfigDef def) {
        return def
                .define(MQTT_LISTENERS, LIST, List.of("MQTT://127.0.0.1:1883"), null, HIGH,
                        "Comma-separated NAME://host:port the MQTT gateway listens on; empty disables MQTT."
                                + " Port 0 picks a free port.");
    }
}
