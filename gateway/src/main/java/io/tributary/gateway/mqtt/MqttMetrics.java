package io.tributary.gateway.mqtt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicInteger;

/** MQTT clients connected now, and PUBLISH packets received from and sent to them, per QoS, in the broker's registry. */
final class MqttMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger connections = new AtomicInteger();
    private final Gauge connected;
    private final Counter[] received = new Counter[3];
    private final Counter[] delivered = new Counter[3];

    MqttMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.connected = Gauge.builder("tributary.mqtt.connections", connections, AtomicInteger::get)
                .description("MQTT clients connected now (CONNECT accepted, not yet closed)")
                .register(registry);
        for (int qos = 0; qos < 3; qos++) {
            received[qos] = Counter.builder("tributary.mqtt.messages.received")
                    .description("PUBLISH packets received from MQTT clients")
                    .tag("qos", String.valueOf(qos))
                    .register(registry);
            delivered[qos] = Counter.builder("tributary.mqtt.messages.delivered")
                    .description("PUBLISH packets sent to MQTT subscribers (first sends; resends not counted)")
                    .tag("qos", String.valueOf(qos))
                    .register(registry);
        }
    }

    void connected() {
        connections.incrementAndGet();
    }

    void disconnected() {
        connections.decrementAndGet();
    }

    void received(int qos) {
        received[Math.min(Math.max(qos, 0), 2)].increment();
    }

    void delivered(int qos) {
        delivered[Math.min(Math.max(qos, 0), 2)].increment();
    }

    /** Unregisters the gauge, so a restarted gateway on the same broker reports its own count. */
    void close() {
        registry.remove(connected);
    }
}
