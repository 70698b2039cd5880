package io.tributary.connect.mqtt;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

import java.net.URI;

/** The settings both MQTT bridge connectors share: where the external broker is and how to log in. */
final class MqttSettings {

    static final String SERVER_URI = "mqtt.server.uri";
    static final String USERNAME = "mqtt.username";
    static final String PASSWORD = "mqtt.password";
    static final String CLIENT_ID = "mqtt.client.id";
    static final String QOS = "mqtt.qos";

    private MqttSettings() {
    }

    static ConfigDef common() {
        return new ConfigDef()
                .define(SERVER_URI, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, MqttSettings::validUri, Importance.HIGH,
                        "The external MQTT broker, tcp://host:port or ssl://host:port.")
                .define(USERNAME, Type.STRING, null, Importance.MEDIUM, "User name, if the broker wants one.")
                .define(PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Password, if the broker wants one.")
                .define(CLIENT_ID, Type.STRING, "", Importance.MEDIUM,
                        "MQTT client id; default tributary-{connector}-{task}. A fixed id keeps the broker-side session.")
                .define(QOS, Type.INT, 1, ConfigDef.Range.between(0, 2), Importance.MEDIUM,
                        "QoS of subscriptions and publishes.");
    }

    static MqttConnectOptions connectOptions(AbstractConfig config, boolean cleanSession) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(cleanSession);
        options.setAutomaticReconnect(true);
        options.setMaxInflight(1000);
        String user = config.getString(USERNAME);
        if (user != null && !user.isBlank()) {
            options.setUserName(user);
        }
        if (config.getPassword(PASSWORD) != null) {
            options.setPassword(config.getPassword(PASSWORD).value().toCharArray());
        }
        return options;
    }

    static String clientId(AbstractConfig config, String connector, String task) {
        String configured = config.getString(CLIENT_ID);
        return configured == null || configured.isBlank() ? "tributary-" + connector + "-" + task : configured;
    }

    private static void validUri(String name, Object value) {
        try {
            URI uri = URI.create(String.valueOf(value));
            String scheme = uri.getScheme();
            if (!"tcp".equals(scheme) && !"ssl".equals(scheme) || uri.getHost() == null || uri.getPort() < 0) {
                throw new ConfigException(name, value, "must be tcp://host:port or ssl://host:port");
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, "must be tcp://host:port or ssl://host:port");
        }
    }
}
