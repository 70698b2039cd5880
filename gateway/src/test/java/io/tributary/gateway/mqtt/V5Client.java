package io.tributary.gateway.mqtt;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A Paho MQTT 5 async client with blocking helpers for tests. */
final class V5Client {

    private static final long WAIT_MS = 10_000;

    final MqttAsyncClient async;
    /** The properties of the CONNACK it got; empty when the client was connected elsewhere. */
    final MqttProperties connack;

    V5Client(MqttAsyncClient async) {
        this(async, new MqttProperties());
    }

    V5Client(MqttAsyncClient async, MqttProperties connack) {
        this.async = async;
        this.connack = connack == null ? new MqttProperties() : connack;
    }

    /** Subscribes and returns the SUBACK reason codes. */
    int[] subscribe(MqttProperties properties, MqttSubscription... subscriptions) throws Exception {
        IMqttToken token = async.subscribe(subscriptions, null, null, properties == null ? new MqttProperties() : properties);
        token.waitForCompletion(WAIT_MS);
        return token.getReasonCodes();
    }

    int[] subscribe(String filter, int qos) throws Exception {
        return subscribe(null, new MqttSubscription(filter, qos));
    }

    /** Publishes and returns the PUBACK/PUBREC reason codes (empty for QoS 0). */
    int[] publish(String topic, MqttMessage message) throws Exception {
        IMqttToken token = async.publish(topic, message);
        token.waitForCompletion(WAIT_MS);
        return token.getReasonCodes() == null ? new int[0] : token.getReasonCodes();
    }

    int[] publish(String topic, String payload, int qos, boolean retain) throws Exception {
        return publish(topic, new MqttMessage(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), qos, retain, null));
    }

    boolean isConnected() {
        return async.isConnected();
    }

    void disconnect() throws Exception {
        async.disconnect().waitForCompletion(WAIT_MS);
    }

    void close() {
        Clients.closeQuietly(this);
    }
}
