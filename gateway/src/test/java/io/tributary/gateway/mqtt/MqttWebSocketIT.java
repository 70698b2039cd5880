package io.tributary.gateway.mqtt;

import io.tributary.gateway.testing.MqttTestSupport;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** MQTT over WebSocket through an HTTP server that hands /mqtt upgrades to the gateway, as the HTTP gateway does. */
class MqttWebSocketIT {

    @TempDir
    static Path dir;
    static MqttTestSupport gateway;
    static HttpServer http;

    @BeforeAll
    static void start() {
        gateway = MqttTestSupport.start(dir);
        var handler = gateway.mqttGateway().webSocketHandler();
        http = gateway.await(() -> gateway.vertx()
                .createHttpServer(new HttpServerOptions().setWebSocketSubProtocols(List.of("mqtt")))
                .webSocketHandler(ws -> {
                    if (ws.path().equals("/mqtt")) {
                        handler.handle(ws);
                    } else {
                        ws.close();
                    }
                })
                .listen(0, "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        gateway.await(() -> http.close());
        gateway.close();
    }

    @Test
    void mqtt3AndMqtt5ClientsPublishAndSubscribeOverWebSocket() throws Exception {
        String uri = "ws://127.0.0.1:" + http.actualPort() + "/mqtt";
        MqttClient subscriber = new MqttClient(uri, "ws-sub", new MemoryPersistence());
        subscriber.connect(new MqttConnectOptions());
        Received received = new Received();
        subscriber.subscribe("web/#", 1, received.v3());

        V5Client publisher = Clients.v5(uri, "ws-pub", null, new MqttConnectionOptions());
        assertThat(publisher.publish("web/page", "over websocket", 1, false)).containsExactly(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.messages.size() == 1);
        assertThat(received.payloads()).containsExactly("over websocket");
        assertThat(gateway.records("web")).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("over websocket");
        Clients.closeQuietly(subscriber, publisher);
    }
}
