package io.tributary.core.it;

import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keyed records with headers go through the broker intact for every compression codec and both acks
 * modes, and come back at the offsets the producer was given, in per-partition order.
 */
class ProduceConsumeIT {

    @TempDir
    static Path dataDir;

    private static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.start(dataDir);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    static Stream<Arguments> codecsAndAcks() {
        List<Arguments> args = new ArrayList<>();
        for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
            for (String acks : List.of("all", "1")) {
                args.add(Arguments.of(codec, acks));
            }
        }
        return args.stream();
    }

    /** What was sent and what the producer was told about it. */
    private record Sent(ProducerRecord<String, String> record, RecordMetadata metadata) {
    }

    @ParameterizedTest(name = "compression={0} acks={1}")
    @MethodSource("codecsAndAcks")
    void keyedRecordsWithHeadersRoundTrip(String codec, String acks) throws Exception {
        String topic = "pc-" + codec + "-acks" + ("all".equals(acks) ? "all" : acks);
        int partitions = 3;
        ItClients.createTopic(broker.bootstrapServers(), topic, partitions);

        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
        config.put(ProducerConfig.ACKS_CONFIG, acks);
        // Idempotence needs acks=all; with acks=1 one request in flight keeps per-partition order.
        if (!"all".equals(acks)) {
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
            config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        }
        // Several records per batch, so that compression really compresses batches.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);

        int count = 60;
        long baseTimestamp = 1_700_000_000_000L;
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(new RecordHeader("seq", Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
            headers.add(new RecordHeader("codec", codec.getBytes(StandardCharsets.UTF_8)));
            headers.add(new RecordHeader("binary", new byte[] {0, (byte) i, (byte) 0xFF, 127}));
            // A repeated header name and a header without a value are both legal in Kafka.
            headers.add(new RecordHeader("seq", ("dup-" + i).getBytes(StandardCharsets.UTF_8)));
            headers.add(new RecordHeader("nullable", null));
            String key = "key-" + (i % 7);
            // One tombstone and one empty value among ordinary, repetitive (compressible) values.
            String value = i == 13 ? null : i == 14 ? "" : ("value-" + i + "-" + "x".repeat(50 + i));
            records.add(new ProducerRecord<>(topic, null, baseTimestamp + i, key, value, headers));
        }

        List<Sent> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = ItClients.producer(broker.bootstrapServers(), config)) {
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (ProducerRecord<String, String> r : records) {
                futures.add(producer.send(r));
            }
            producer.flush();
            for (int i = 0; i < count; i++) {
                sent.add(new Sent(records.get(i), futures.get(i).get(30, TimeUnit.SECONDS)));
            }
        }

        // The producer was given dense offsets 0..n-1 per partition, increasing in send order.
        Map<Integer, List<Long>> offsetsBySendOrder = new HashMap<>();
        for (Sent s : sent) {
            assertThat(s.metadata().topic()).isEqualTo(topic);
            offsetsBySendOrder.computeIfAbsent(s.metadata().partition(), k -> new ArrayList<>()).add(s.metadata().offset());
        }
        offsetsBySendOrder.forEach((p, offsets) -> {
            for (int i = 0; i < offsets.size(); i++) {
                assertThat(offsets.get(i)).as("offset of the %d-th record sent to partition %d", i, p).isEqualTo(i);
            }
        });

        List<ConsumerRecord<String, String>> consumed = ItClients.readToEnd(broker.bootstrapServers(), topic, partitions);
        assertThat(consumed).as("records consumed").hasSize(count);

        Map<Integer, List<ConsumerRecord<String, String>>> byPartition = ItClients.byPartition(consumed);
        byPartition.forEach((p, list) -> {
            for (int i = 0; i < list.size(); i++) {
                assertThat(list.get(i).offset()).as("partition %d is read in offset order", p).isEqualTo(i);
            }
        });

        for (Sent s : sent) {
            ConsumerRecord<String, String> got = byPartition.get(s.metadata().partition())
                    .get((int) s.metadata().offset());
            ProducerRecord<String, String> want = s.record();
            assertThat(got.key()).isEqualTo(want.key());
            assertThat(got.value()).isEqualTo(want.value());
            assertThat(got.timestamp()).isEqualTo(want.timestamp());
            assertThat(got.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
            assertThat(headerList(got.headers().toArray())).isEqualTo(headerList(want.headers().toArray()));
        }
        // Keys are partitioned consistently: every record of a key sits in one partition.
        Map<String, Integer> partitionOfKey = new HashMap<>();
        for (ConsumerRecord<String, String> r : consumed) {
            Integer before = partitionOfKey.putIfAbsent(r.key(), r.partition());
            assertThat(before == null || before == r.partition()).as("key %s in one partition", r.key()).isTrue();
        }
    }

    /** The acceptance case: 20,000 keyed records with headers over 6 partitions, complete and in per-key order. */
    @Test
    void twentyThousandKeyedRecordsComeBackCompleteAndInPerKeyOrder() throws Exception {
        String topic = "acceptance-20k";
        int partitions = 6;
        int count = 20_000;
        int keys = 500;
        ItClients.createTopic(broker.bootstrapServers(), topic, partitions);

        Map<String, Object> config = Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5);
        Map<String, Integer> sentPerKey = new HashMap<>();
        List<Future<RecordMetadata>> futures = new ArrayList<>(count);
        try (KafkaProducer<String, String> producer = ItClients.producer(broker.bootstrapServers(), config)) {
            for (int i = 0; i < count; i++) {
                String key = "k" + (i % keys);
                int seq = sentPerKey.merge(key, 1, Integer::sum) - 1;
                RecordHeaders headers = new RecordHeaders();
                headers.add("n", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                headers.add("key-seq", Integer.toString(seq).getBytes(StandardCharsets.UTF_8));
                futures.add(producer.send(new ProducerRecord<>(topic, null, key, key + ":" + seq, headers)));
            }
            producer.flush();
            for (Future<RecordMetadata> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        }

        List<ConsumerRecord<String, String>> consumed = ItClients.readToEnd(broker.bootstrapServers(), topic, partitions);
        assertThat(consumed).as("records consumed").hasSize(count);

        Map<Integer, List<ConsumerRecord<String, String>>> byPartition = ItClients.byPartition(consumed);
        long total = 0;
        for (var entry : byPartition.entrySet()) {
            List<ConsumerRecord<String, String>> list = entry.getValue();
            for (int i = 0; i < list.size(); i++) {
                assertThat(list.get(i).offset()).as("dense offsets in partition %d", entry.getKey()).isEqualTo(i);
            }
            total += list.size();
        }
        assertThat(total).isEqualTo(count);
        assertThat(byPartition.keySet()).as("keys spread over all partitions").hasSize(partitions);

        Map<String, Integer> nextSeq = new HashMap<>();
        Map<String, Integer> partitionOfKey = new HashMap<>();
        for (ConsumerRecord<String, String> r : consumed) {
            int expected = nextSeq.getOrDefault(r.key(), 0);
            assertThat(r.value()).as("per-key order of %s", r.key()).isEqualTo(r.key() + ":" + expected);
            assertThat(new String(r.headers().lastHeader("key-seq").value(), StandardCharsets.UTF_8))
                    .isEqualTo(Integer.toString(expected));
            assertThat(r.headers().lastHeader("n")).isNotNull();
            nextSeq.put(r.key(), expected + 1);
            Integer before = partitionOfKey.putIfAbsent(r.key(), r.partition());
            assertThat(before == null || before == r.partition()).isTrue();
        }
        assertThat(nextSeq).hasSize(keys);
        nextSeq.forEach((key, n) -> assertThat(n).as("records of %s", key).isEqualTo(sentPerKey.get(key)));
    }

    private static List<String> headerList(Header[] headers) {
        List<String> list = new ArrayList<>();
        for (Header h : headers) {
            list.add(h.key() + "=" + (h.value() == null ? "<null>" : java.util.HexFormat.of().formatHex(h.value())));
        }
        return list;
    }
}
