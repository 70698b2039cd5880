package io.tributary.gateway.mqtt;

import io.tributary.gateway.testing.MqttTestSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Issue point 3: subscriptions deliver records from the log, whoever produced them. */
class MqttSubscribeIT {

    @TempDir
    static Path dir;
    static MqttTestSupport gateway;

    @BeforeAll
    static void start() {
        gateway = MqttTestSupport.start(dir);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void wildcardSubscriptionsReceiveMatchingPublishesOnly() throws Exception {
        MqttClient sub = Clients.v3(gateway, "sub-wild");
        Received plus = new Received();
        Received hash = new Received();
        sub.subscribe("home/+/temp", 1, plus.v3());
        sub.subscribe("garden/#", 1, hash.v3());
        MqttClient pub = Clients.v3(gateway, "pub-wild");
        pub.publish("home/kitchen/temp", bytes("20"), 1, false);
        pub.publish("home/kitchen/humidity", bytes("40"), 1, false);
        pub.publish("garden", bytes("g0"), 1, false);
        pub.publish("garden/pond/level", bytes("g1"), 1, false);
        pub.publish("home/hall/temp", bytes("21"), 1, false);

        await().atMost(Duration.ofSeconds(10)).until(() -> plus.messages.size() == 2 && hash.messages.size() == 2);
        assertThat(plus.topics()).containsExactly("home/kitchen/temp", "home/hall/temp");
        assertThat(plus.payloads()).containsExactly("20", "21");
        assertThat(hash.topics()).containsExactly("garden", "garden/pond/level");
        Clients.closeQuietly(sub, pub);
    }

    @Test
    void recordsFromKafkaProducersAreDeliveredUnderTopicAndKey() throws Exception {
        gateway.await(() -> gateway.api().topics().create("orders", 2, Map.of()));
        MqttClient sub = Clients.v3(gateway, "sub-kafka");
        Received received = new Received();
        sub.subscribe("orders/#", 2, received.v3());
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>("orders", "eu/42", "order 42")).get();
            producer.send(new ProducerRecord<>("orders", null, "no key")).get();
            producer.send(new ProducerRecord<>("orders", "orders/us", "mqtt-shaped key")).get();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> received.messages.size() == 3);
        assertThat(received.messages).extracting(Received.Message::topic, Received.Message::payload)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("orders/eu/42", "order 42"),
                        org.assertj.core.groups.Tuple.tuple("orders", "no key"),
                        org.assertj.core.groups.Tuple.tuple("orders/us", "mqtt-shaped key"));
        // Kafka records carry no QoS: mqtt.kafka.record.qos (1) applies, below the subscription's 2.
        assertThat(received.messages).allMatch(m -> m.qos() == 1);
        Clients.closeQuietly(sub);
    }

    @Test
    void deliveryQosIsTheLowerOfPublishAndSubscription() throws Exception {
        MqttClient sub = Clients.v3(gateway, "sub-qos");
        Received atMostOnce = new Received();
        Received exactlyOnce = new Received();
        sub.subscribe("qos/zero", 0, atMostOnce.v3());
        sub.subscribe("qos/two", 2, exactlyOnce.v3());
        MqttClient pub = Clients.v3(gateway, "pub-qos");
        pub.publish("qos/zero", bytes("a"), 2, false);
        pub.publish("qos/two", bytes("b"), 1, false);
        pub.publish("qos/two", bytes("c"), 2, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> atMostOnce.messages.size() == 1 && exactlyOnce.messages.size() == 2);
        assertThat(atMostOnce.messages.get(0).qos()).isZero();
        assertThat(exactlyOnce.messages).extracting(Received.Message::qos).containsExactly(1, 2);
        Clients.closeQuietly(sub, pub);
    }

    @Test
    void mqtt5NoLocalRetainAsPublishedAndSubscriptionIdentifiers() throws Exception {
        Received received = new Received();
        var client = Clients.v5(gateway, "v5-options", received);
        MqttSubscription noLocal = new MqttSubscription("opts/local", 1);
        noLocal.setNoLocal(true);
        MqttSubscription keepRetain = new MqttSubscription("opts/retain/#", 1);
        keepRetain.setRetainAsPublished(true);
        keepRetain.setRetainHandling(2);
        MqttProperties ids = new MqttProperties();
        ids.setSubscriptionIdentifier(7);
        client.subscribe(ids, noLocal);
        MqttProperties ids2 = new MqttProperties();
        ids2.setSubscriptionIdentifier(9);
        client.subscribe(ids2, keepRetain);

        client.publish("opts/local", new MqttMessage(bytes("own"), 1, false, null));
        var other = Clients.v5(gateway, "v5-other", null);
        other.publish("opts/local", new MqttMessage(bytes("foreign"), 1, false, null));
        other.publish("opts/retain/x", new MqttMessage(bytes("kept"), 1, true, null));

        await().atMost(Duration.ofSeconds(10)).until(() -> received.messages.size() == 2);
        assertThat(received.payloads()).containsExactly("foreign", "kept");
        assertThat(received.messages.get(0).subscriptionIds()).containsExactly(7);
        assertThat(received.messages.get(0).retained()).isFalse();
        assertThat(received.messages.get(1).subscriptionIds()).containsExactly(9);
        assertThat(received.messages.get(1).retained()).isTrue();
        Clients.closeQuietly(client, other);
    }

    @Test
    void subscriptionsMadeBeforeTheirKafkaTopicExistsStillDeliver() throws Exception {
        Received received = new Received();
        MqttClient sub = Clients.v3(gateway, "sub-early");
        sub.subscribe("brandnew/#", 1, received.v3());
        sub.subscribe("+/late", 1, received.v3());
        MqttClient pub = Clients.v3(gateway, "pub-early");
        pub.publish("brandnew/a", bytes("first"), 1, false);
        pub.publish("latecomer/late", bytes("second"), 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.messages.size() == 2);
        assertThat(received.payloads()).containsExactlyInAnyOrder("first", "second");
        Clients.closeQuietly(sub, pub);
    }

    static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, gateway.bootstrapServers()),
                new StringSerializer(), new StringSerializer());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
