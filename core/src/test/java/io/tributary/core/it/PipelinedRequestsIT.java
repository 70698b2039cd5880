package io.tributary.core.it;

import io.tributary.core.BoundListener;
import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests read ahead of the in-flight limit: with connections.max.inflight.requests=1 the broker pauses after
 * every request, so the rest of each read waits in the decoder and comes out, in order, as answers are sent.
 * Produce requests of every size (within one read, across many) must land byte for byte.
 */
class PipelinedRequestsIT {

    @TempDir
    static Path work;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() {
        Map<String, String> props = new HashMap<>();
        props.put("connections.max.inflight.requests", "1");
        broker = EmbeddedBroker.start(work.resolve("data"), props);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void requestsSentInOneWriteAreAnsweredInOrder() throws Exception {
        int port = broker.broker().boundListeners().stream().findFirst().map(BoundListener::port).orElseThrow();
        try (RawKafkaSocket socket = RawKafkaSocket.connect(port)) {
            ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
            List<RequestHeader> headers = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                AbstractRequest request = i % 2 == 0
                        ? new ApiVersionsRequest.Builder().build((short) 3)
                        : new MetadataRequest(new MetadataRequestData().setTopics(List.of()), (short) 12);
                RequestHeader header = socket.header(request.apiKey(), request.version());
                ByteBuffer body = request.serializeWithHeader(header);
                pipelined.write(ByteBuffer.allocate(4).putInt(body.remaining()).array());
                pipelined.write(body.array(), body.arrayOffset() + body.position(), body.remaining());
                headers.add(header);
            }
            socket.writeRaw(pipelined.toByteArray());
            for (RequestHeader header : headers) {
                // parseResponse checks the correlation id: an answer out of order fails here.
                AbstractResponse response = socket.receive(header);
                assertThat(response.apiKey()).isIn(ApiKeys.API_VERSIONS, ApiKeys.METADATA);
                assertThat(response.errorCounts()).doesNotContainKeys(Errors.UNSUPPORTED_VERSION);
            }
        }
    }

    @Test
    void producedRecordsOfEverySizeArriveWhole() throws Exception {
        ItClients.createTopic(broker.bootstrapServers(), "pipelined", 3);
        int[] sizes = {1, 100, 5_000, 70_000, 400_000};
        int count = 200;
        Map<String, Object> settings = Map.of(
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.BATCH_SIZE_CONFIG, 16_384,
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = ItClients.producer(broker.bootstrapServers(), settings)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(producer.send(new ProducerRecord<>("pipelined", "k" + i, value(i, sizes[i % sizes.length]))));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        List<ConsumerRecord<String, String>> read = ItClients.readToEnd(broker.bootstrapServers(), "pipelined", 3);
        assertThat(read).hasSize(count);
        for (ConsumerRecord<String, String> r : read) {
            int i = Integer.parseInt(r.key().substring(1));
            assertThat(r.value()).as("record %d", i).isEqualTo(value(i, sizes[i % sizes.length]));
        }
        ItClients.byPartition(read).values().forEach(records -> assertThat(records)
                .extracting(r -> Integer.parseInt(r.key().substring(1))).isSorted());
    }

    /** A value of {@code size} characters that differs from record to record. */
    private static String value(int i, int size) {
        StringBuilder b = new StringBuilder(size);
        String stamp = i + ":";
        while (b.length() < size) {
            b.append(stamp).append((char) ('a' + i % 26));
        }
        return b.substring(0, size);
    }
}
