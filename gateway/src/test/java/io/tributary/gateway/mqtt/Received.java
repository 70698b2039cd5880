package io.tributary.gateway.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Messages a test client received, in arrival order. */
final class Received {

    record Message(String topic, String payload, int qos, boolean retained, List<Integer> subscriptionIds,
                   org.eclipse.paho.mqttv5.common.packet.MqttProperties properties) {
    }

    final List<Message> messages = new CopyOnWriteArrayList<>();
    /** The reason code of a DISCONNECT the server sent, -1 until then. */
    volatile int disconnectReason = -1;

    org.eclipse.paho.client.mqttv3.IMqttMessageListener v3() {
        return (topic, m) -> messages.add(new Message(topic, new String(m.getPayload(), StandardCharsets.UTF_8),
                m.getQos(), m.isRetained(), List.of(), null));
    }

    void add(String topic, org.eclipse.paho.mqttv5.common.MqttMessage m) {
        var props = m.getProperties();
        messages.add(new Message(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.getQos(), m.isRetained(),
                props == null || props.getSubscriptionIdentifiers() == null ? List.of() : props.getSubscriptionIdentifiers(),
                props));
    }

    List<String> payloads() {
        return messages.stream().map(Message::payload).toList();
    }

    List<String> topics() {
        return messages.stream().map(Message::topic).toList();
    }
}
