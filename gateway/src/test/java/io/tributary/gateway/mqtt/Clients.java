package io.tributary.gateway.mqtt;

import io.tributary.gateway.testing.MqttTestSupport;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Paho clients connected to a test gateway. */
final class Clients {

    private Clients() {
    }

    static MqttClient v3(MqttTestSupport gw, String clientId) throws Exception {
        return v3(gw, clientId, true);
    }

    static MqttClient v3(MqttTestSupport gw, String clientId, boolean clean) throws Exception {
        MqttClient client = new MqttClient(gw.mqttUri(), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(clean);
        options.setAutomaticReconnect(false);
        client.connect(options);
        return client;
    }

    static V5Client v5(MqttTestSupport gw, String clientId, Received sink) throws Exception {
        return v5(gw, clientId, sink, new MqttConnectionOptions());
    }

    static V5Client v5(MqttTestSupport gw, String clientId, Received sink, MqttConnectionOptions options)
            throws Exception {
        return v5(gw.mqttUri(), clientId, sink, options);
    }

    static V5Client v5(String uri, String clientId, Received sink, MqttConnectionOptions options) throws Exception {
        var client = new MqttAsyncClient(uri, clientId, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                if (sink != null) {
                    sink.disconnectReason = response.getReturnCode();
                }
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                if (sink != null) {
                    sink.add(topic, message);
                }
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        IMqttToken connected = client.connect(options);
        connected.waitForCompletion(10_000);
        return new V5Client(client, connected.getResponseProperties());
    }

    static void closeQuietly(Object... clients) {
        for (Object c : clients) {
            try {
                if (c instanceof MqttClient m && m.isConnected()) {
                    m.disconnect();
                }
                if (c instanceof MqttClient m) {
                    m.close();
                }
                if (c instanceof V5Client v) {
                    if (v.async.isConnected()) {
                        v.async.disconnect().waitForCompletion(5_000);
                    }
                    v.async.close();
                }
            } catch (Exception e) {
                // best effort in test clean-up
            }
        }
    }
}
