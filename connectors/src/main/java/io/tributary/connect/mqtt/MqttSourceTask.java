package io.tributary.connect.mqtt;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Receives MQTT messages on Paho's thread, hands them to poll(), and acknowledges them in commitRecord(). */
public final class MqttSourceTask extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(MqttSourceTask.class);
    private static final int MAX_BATCH = 1000;

    /** A received message, with what acknowledging it needs. */
    private record Received(String topic, MqttMessage message) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private MqttClient client;
    private String kafkaTopic;

    @Override
    public void start(Map<String, String> props) {
        AbstractConfig config = new AbstractConfig(MqttSourceConnector.CONFIG, props);
        kafkaTopic = config.getString(MqttSourceConnector.KAFKA_TOPIC);
        int qos = config.getInt(MqttSettings.QOS);
        try {
            client = new MqttClient(config.getString(MqttSettings.SERVER_URI),
                    MqttSettings.clientId(config, props.getOrDefault("name", "mqtt"), "source"), new MemoryPersistence());
            // Acknowledge only after the record is stored: commitRecord() does it.
            client.setManualAcks(true);
            client.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                    LOG.warn("MQTT connection lost: {}", cause.toString());
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    received.add(new Received(topic, message));
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            client.connect(MqttSettings.connectOptions(config, config.getBoolean(MqttSourceConnector.CLEAN_SESSION)));
            List<String> filters = config.getList(MqttSourceConnector.MQTT_TOPICS);
            int[] qosPerFilter = filters.stream().mapToInt(f -> qos).toArray();
            client.subscribe(filters.toArray(String[]::new), qosPerFilter);
        } catch (MqttException e) {
            throw new ConnectException("Cannot subscribe at " + config.getString(MqttSettings.SERVER_URI), e);
        }
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        Received first = received.poll(500, TimeUnit.MILLISECONDS);
        if (first == null) {
            return null;
        }
        List<Received> batch = new ArrayList<>();
        batch.add(first);
        received.drainTo(batch, MAX_BATCH - 1);
        List<SourceRecord> records = new ArrayList<>(batch.size());
        for (Received r : batch) {
            ConnectHeaders headers = new ConnectHeaders();
            headers.addInt("mqtt.qos", r.message().getQos());
            headers.addBoolean("mqtt.retained", r.message().isRetained());
            records.add(new MqttRecord(kafkaTopic, r.topic(), r.message(), headers));
        }
        return records;
    }

    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        if (record instanceof MqttRecord mqtt && mqtt.message.getQos() > 0) {
            try {
                client.messageArrivedComplete(mqtt.message.getId(), mqtt.message.getQos());
            } catch (MqttException e) {
                LOG.warn("Acknowledging MQTT message {} failed: {}", mqtt.message.getId(), e.toString());
            }
        }
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

    /** A record that remembers its MQTT message, so commitRecord() can acknowledge it. */
    private static final class MqttRecord extends SourceRecord {
        private final MqttMessage message;

        MqttRecord(String kafkaTopic, String mqttTopic, MqttMessage message, ConnectHeaders headers) {
            super(null, null, kafkaTopic, null, Schema.STRING_SCHEMA, mqttTopic, Schema.BYTES_SCHEMA,
                    message.getPayload(), null, headers);
            this.message = message;
        }
    }
}
