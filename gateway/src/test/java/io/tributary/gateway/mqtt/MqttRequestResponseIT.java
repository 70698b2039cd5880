package io.tributary.gateway.mqtt;

import io.tributary.core.api.NewRecord;
import io.tributary.core.api.RecordHeader;
import io.tributary.core.api.StoredRecord;
import io.tributary.gateway.testing.MqttTestSupport;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MQTT 5 request/response: Response Topic, Correlation Data, Payload Format Indicator and Content Type travel with
 * the record and reach MQTT 5 subscribers as they were published, also in retained messages and wills.
 */
class MqttRequestResponseIT {

    /** Not valid UTF-8 on purpose: correlation data is binary and must come back byte for byte. */
    private static final byte[] CORRELATION = {0x00, (byte) 0xFF, (byte) 0xC3, 0x28, 0x7F, 0x01};

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
    void aRequestReachesTheResponderWithItsPropertiesAndTheResponseFindsTheRequester() throws Exception {
        Received requests = new Received();
        V5Client responder = Clients.v5(gateway, "rr-responder", requests);
        responder.subscribe("rr/requests/#", 1);
        Received responses = new Received();
        V5Client requester = Clients.v5(gateway, "rr-requester", responses);
        requester.subscribe("rr/responses/requester", 1);

        requester.publish("rr/requests/temperature", request("what is the temperature?"));
        await().atMost(Duration.ofSeconds(10)).until(() -> requests.messages.size() == 1);
        MqttProperties got = requests.messages.get(0).properties();
        assertThat(got.getResponseTopic()).isEqualTo("rr/responses/requester");
        assertThat(got.getCorrelationData()).containsExactly(CORRELATION);
        assertThat(got.getPayloadFormat()).isTrue();
        assertThat(got.getContentType()).isEqualTo("text/plain");

        // The responder answers on the Response Topic with the Correlation Data, as MQTT 5 request/response goes.
        MqttProperties answer = new MqttProperties();
        answer.setCorrelationData(got.getCorrelationData());
        responder.publish(got.getResponseTopic(), new MqttMessage("21.5".getBytes(StandardCharsets.UTF_8), 1, false,
                answer));
        await().atMost(Duration.ofSeconds(10)).until(() -> responses.messages.size() == 1);
        assertThat(responses.payloads()).containsExactly("21.5");
        assertThat(responses.messages.get(0).properties().getCorrelationData()).containsExactly(CORRELATION);
        assertThat(responses.messages.get(0).properties().getResponseTopic()).isNull();
        assertThat(responses.messages.get(0).properties().getPayloadFormat()).isFalse();

        // Kafka consumers see them as headers.
        StoredRecord record = gateway.records("rr").get(0);
        assertThat(new String(record.header(PublicationCodec.RESPONSE_TOPIC), StandardCharsets.UTF_8))
                .isEqualTo("rr/responses/requester");
        assertThat(record.header(PublicationCodec.CORRELATION_DATA)).containsExactly(CORRELATION);
        assertThat(new String(record.header(PublicationCodec.PAYLOAD_FORMAT), StandardCharsets.UTF_8)).isEqualTo("1");
        assertThat(new String(record.header(PublicationCodec.CONTENT_TYPE), StandardCharsets.UTF_8))
                .isEqualTo("text/plain");
        Clients.closeQuietly(responder, requester);
    }

    @Test
    void aClientThatAsksForResponseInformationGetsItsOwnResponseTopicsAndItsResponsesArrive() throws Exception {
        Received requests = new Received();
        V5Client responder = Clients.v5(gateway, "rr-info-responder", requests);
        responder.subscribe("rrinfo/requests", 1);
        MqttConnectionOptions asking = new MqttConnectionOptions();
        asking.setRequestResponseInfo(true);
        Received responses = new Received();
        V5Client requester = Clients.v5(gateway, "rr-info-requester", responses, asking);
        String info = requester.connack.getResponseInfo();
        assertThat(info).isEqualTo("responses/rr-info-requester");
        requester.subscribe(info + "/#", 1);

        MqttProperties request = new MqttProperties();
        request.setResponseTopic(info + "/temperature");
        requester.publish("rrinfo/requests", new MqttMessage("temperature?".getBytes(StandardCharsets.UTF_8), 1, false,
                request));
        await().atMost(Duration.ofSeconds(10)).until(() -> requests.messages.size() == 1);
        responder.publish(requests.messages.get(0).properties().getResponseTopic(), "21.5", 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> responses.messages.size() == 1);
        assertThat(responses.topics()).containsExactly("responses/rr-info-requester/temperature");
        assertThat(responses.payloads()).containsExactly("21.5");
        // Like any publish, the response is a record, in the Kafka topic named by the prefix's first level.
        assertThat(gateway.records("responses")).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactly("responses/rr-info-requester/temperature");
        Clients.closeQuietly(responder, requester);
    }

    @Test
    void responseInformationIsGivenOnlyToAClientThatAsksAndOnlyAsAValidTopic() throws Exception {
        V5Client plain = Clients.v5(gateway, "rr-info-plain", null);
        assertThat(plain.connack.getResponseInfo()).isNull();
        MqttConnectionOptions asking = new MqttConnectionOptions();
        asking.setRequestResponseInfo(true);
        V5Client wildcard = Clients.v5(gateway, "rr-info-+", null, asking);
        assertThat(wildcard.isConnected()).isTrue();
        assertThat(wildcard.connack.getResponseInfo()).isNull(); // "responses/rr-info-+" is no topic name
        Clients.closeQuietly(plain, wildcard);
    }

    @Test
    void aRequestResponseInformationOtherThanZeroOrOneIsRefusedAsAProtocolError() throws Exception {
        byte[] requestResponseInformation2 = {0x19, 0x02};
        new RawMqtt5Client(gateway.mqttPort(), "rr-info-bad", requestResponseInformation2, 0x82).close();
        V5Client after = Clients.v5(gateway, "rr-info-after", null);
        assertThat(after.isConnected()).isTrue();
        Clients.closeQuietly(after);
    }

    @Test
    void aRetainedMessageKeepsItsRequestResponseProperties() throws Exception {
        V5Client pub = Clients.v5(gateway, "rr-retain-pub", null);
        MqttMessage retained = request("retained request");
        retained.setRetained(true);
        pub.publish("rrretained/state", retained);

        Received got = new Received();
        V5Client sub = Clients.v5(gateway, "rr-retain-sub", got);
        sub.subscribe("rrretained/#", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> got.messages.size() == 1);
        assertThat(got.messages.get(0).retained()).isTrue();
        assertRequestProperties(got.messages.get(0).properties());

        // Reloaded from __mqtt_retained after a restart, they are still there.
        Clients.closeQuietly(pub, sub);
        gateway.restart();
        Received again = new Received();
        V5Client later = Clients.v5(gateway, "rr-retain-later", again);
        later.subscribe("rrretained/#", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> again.messages.size() == 1);
        assertRequestProperties(again.messages.get(0).properties());
        Clients.closeQuietly(later);
    }

    @Test
    void aWillCarriesItsRequestResponseProperties() throws Exception {
        Received wills = new Received();
        V5Client watcher = Clients.v5(gateway, "rr-will-watcher", wills);
        watcher.subscribe("rrwill/#", 1);

        MqttConnectionOptions options = new MqttConnectionOptions();
        MqttProperties willProps = properties();
        options.setWill("rrwill/device", new MqttMessage("device lost".getBytes(StandardCharsets.UTF_8), 1, false,
                willProps));
        options.setWillMessageProperties(willProps);
        V5Client device = Clients.v5(gateway, "rr-will-device", null, options);
        device.async.disconnectForcibly(0, 100, false);

        await().atMost(Duration.ofSeconds(10)).until(() -> wills.messages.size() == 1);
        assertThat(wills.payloads()).containsExactly("device lost");
        assertRequestProperties(wills.messages.get(0).properties());
        Clients.closeQuietly(watcher, device);
    }

    @Test
    void aKafkaRecordWithTheHeadersIsDeliveredWithTheProperties() throws Exception {
        Received got = new Received();
        V5Client sub = Clients.v5(gateway, "rr-kafka-sub", got);
        sub.subscribe("rrkafka/#", 1);
        MqttClient pub = Clients.v3(gateway, "rr-kafka-pub"); // creates the topic, so the subscription reads it
        pub.publish("rrkafka/first", "over mqtt".getBytes(StandardCharsets.UTF_8), 1, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> got.messages.size() == 1);
        gateway.await(() -> gateway.api().records().append("rrkafka", 0, List.of(new NewRecord(
                "rrkafka/job".getBytes(StandardCharsets.UTF_8), "from kafka".getBytes(StandardCharsets.UTF_8),
                List.of(new RecordHeader(PublicationCodec.RESPONSE_TOPIC, "rr/responses/kafka".getBytes(StandardCharsets.UTF_8)),
                        new RecordHeader(PublicationCodec.CORRELATION_DATA, CORRELATION),
                        new RecordHeader("trace", "t-1".getBytes(StandardCharsets.UTF_8))),
                NewRecord.NOW))));
        await().atMost(Duration.ofSeconds(10)).until(() -> got.messages.size() == 2);
        assertThat(got.topics()).containsExactly("rrkafka/first", "rrkafka/job");
        MqttProperties props = got.messages.get(1).properties();
        assertThat(props.getResponseTopic()).isEqualTo("rr/responses/kafka");
        assertThat(props.getCorrelationData()).containsExactly(CORRELATION);
        assertThat(props.getUserProperties()).extracting(u -> u.getKey() + "=" + u.getValue())
                .containsExactly("trace=t-1"); // the MQTT headers are properties, not user properties
        Clients.closeQuietly(sub, pub);
    }

    @Test
    void anMqtt3SubscriberGetsThePayloadWithoutProperties() throws Exception {
        MqttClient v3 = Clients.v3(gateway, "rr-v3-sub");
        Received got = new Received();
        v3.subscribe("rrv3/#", 1, got.v3());
        V5Client pub = Clients.v5(gateway, "rr-v3-pub", null);
        pub.publish("rrv3/q", request("to an old client"));
        await().atMost(Duration.ofSeconds(10)).until(() -> got.messages.size() == 1);
        assertThat(got.payloads()).containsExactly("to an old client");
        Clients.closeQuietly(v3, pub);
    }

    @Test
    void aResponseTopicWithAWildcardIsAProtocolError() throws Exception {
        try (RawMqtt5Client raw = new RawMqtt5Client(gateway.mqttPort(), "rr-raw")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            RawMqtt5Client.writeString(body, "rrbad/q");
            body.write(new byte[]{0x00, 0x01}); // packet id
            ByteArrayOutputStream props = new ByteArrayOutputStream();
            props.write(0x08); // Response Topic
            RawMqtt5Client.writeString(props, "rrbad/+/answers");
            body.write(props.size());
            body.write(props.toByteArray());
            body.write("q".getBytes(StandardCharsets.UTF_8));
            raw.packet(0x32, body.toByteArray());
            assertThat(raw.expectDisconnect()).isEqualTo(0x82); // Protocol Error
        }
        MqttClient pub = Clients.v3(gateway, "rr-raw-after");
        pub.publish("rrbad/ok", "ok".getBytes(StandardCharsets.UTF_8), 1, false);
        assertThat(gateway.records("rrbad")).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("ok");
        Clients.closeQuietly(pub);
    }

    @Test
    void aWillWithAWildcardResponseTopicIsRefusedAsAProtocolError() throws Exception {
        ByteArrayOutputStream props = new ByteArrayOutputStream();
        props.write(0x08); // Response Topic
        RawMqtt5Client.writeString(props, "rrwillbad/#");
        assertThat(RawMqtt5Client.connectWithWill(gateway.mqttPort(), "rr-bad-will", props.toByteArray(),
                "rrwillbad/device")).isEqualTo(0x82); // Protocol Error
        ByteArrayOutputStream good = new ByteArrayOutputStream();
        good.write(0x08);
        RawMqtt5Client.writeString(good, "rrwillbad/answers");
        assertThat(RawMqtt5Client.connectWithWill(gateway.mqttPort(), "rr-good-will", good.toByteArray(),
                "rrwillbad/device")).isEqualTo(0x00);
    }

    private static MqttMessage request(String payload) {
        return new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), 1, false, properties());
    }

    private static MqttProperties properties() {
        MqttProperties props = new MqttProperties();
        props.setResponseTopic("rr/responses/requester");
        props.setCorrelationData(CORRELATION);
        props.setPayloadFormat(true);
        props.setContentType("text/plain");
        return props;
    }

    private static void assertRequestProperties(MqttProperties got) {
        assertThat(got.getResponseTopic()).isEqualTo("rr/responses/requester");
        assertThat(got.getCorrelationData()).containsExactly(CORRELATION);
        assertThat(got.getPayloadFormat()).isTrue();
        assertThat(got.getContentType()).isEqualTo("text/plain");
    }
}
