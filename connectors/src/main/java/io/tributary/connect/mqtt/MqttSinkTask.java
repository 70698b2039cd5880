package io.tributary.connect.mqtt;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/** Publishes each record and waits for the MQTT broker's acknowledgement before put() returns. */
public final class MqttSinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(MqttSinkTask.class);

    private final JsonConverter json = new JsonConverter();
    private MqttClient client;
    private String topicTemplate;
    private int qos;
    private boolean retained;

    @Override
    public void start(Map<String, String> props) {
        AbstractConfig config = new AbstractConfig(MqttSinkConnector.CONFIG, props);
        topicTemplate = config.getString(MqttSinkConnector.MQTT_TOPIC);
        qos = config.getInt(MqttSettings.QOS);
        retained = config.getBoolean(MqttSinkConnector.RETAINED);
        json.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), false);
        try {
            client = new MqttClient(config.getString(MqttSettings.SERVER_URI), MqttSettings.clientId(config,
                    props.getOrDefault("name", "mqtt"), "sink-" + props.getOrDefault("task.id", "0")), new MemoryPersistence());
            client.connect(MqttSettings.connectOptions(config, true));
        } catch (MqttException e) {
            throw new ConnectException("Cannot connect to " + config.getString(MqttSettings.SERVER_URI), e);
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        for (SinkRecord record : records) {
            if (record.value() == null) {
                continue; // a tombstone has no message
            }
            String topic = topicTemplate.replace("${topic}", record.topic())
                    .replace("${key}", record.key() == null ? "" : text(record.key()));
            MqttMessage message = new MqttMessage(payload(record));
            message.setQos(qos);
            message.setRetained(retained);
            try {
                // publish() of a synchronous client returns once the broker acknowledged QoS 1/2.
                client.publish(topic, message);
            } catch (MqttException e) {
                LOG.warn("Publishing to {} failed: {}", topic, e.toString());
                throw new RetriableException("Publishing to MQTT failed", e);
            }
        }
    }

    private byte[] payload(SinkRecord record) {
        Object value = record.value();
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        if (value instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        return json.fromConnectData(record.topic(), record.valueSchema(), value);
    }

    private static String text(Object key) {
        return key instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : key.toString();
    }

    @Override
    public void stop() {
        if (client != null) {
            try {
                client.disconnect(5000);
                client.close();
            } catch (MqttException e) {
                LOG.debug("Closing the MQTT client: {}", e.toString());
            }
        }
    }

    @Override
    public String version() {
        return "1.0";
    }
}
