package io.tributary.gateway;

import io.tributary.core.BoundListener;
import io.tributary.core.config.BrokerConfig;
import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input against a running broker and MQTT gateway: more than 100,000 random frames and real Kafka requests
 * mutated (flipped bytes, truncation, wrong sizes, bogus API keys and versions), and random and mutated MQTT packets,
 * from several connections at once, while a well-behaved producer and consumer keep working on their own SASL
 * listener. Afterwards every acknowledged record is in the log, the broker still serves, and the heap (after GC) has
 * not grown without bound. The fuzzing connections are anonymous with ACLs limited to reading and writing fuzz-
 * topics, so a mutation can never create or delete topics.
 */
class HostileInputFuzzIT {

    private static final Logger LOG = LoggerFactory.getLogger(HostileInputFuzzIT.class);
    private static final int KAFKA_FRAMES = 110_000;
    private static final int MQTT_PACKETS = 30_000;
    private static final int CONNECTIONS = 6;
    private static final String STEADY = "SASL_PLAINTEXT";
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " user_steady=\"steady-secret\";";

    @TempDir
    Path work;

    @Test
    void brokerKeepsServingThroughHostileInput() throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "SASL_PLAINTEXT://127.0.0.1:0,PLAINTEXT://127.0.0.1:0");
        props.put("mqtt.listeners", "MQTT://127.0.0.1:0");
        props.put("http.listeners", "");
        props.put("sasl.jaas.config", JAAS);
        props.put("authorizer.class.name", "builtin");
        props.put("super.users", "User:steady");
        props.put("auto.create.topics.enable", "false");
        props.put("socket.request.max.bytes", String.valueOf(1 << 20));
        props.put("connections.max.idle.ms", "5000");
        props.put("num.network.threads", "2");
        props.put("group.initial.rebalance.delay.ms", "0");
        EmbeddedBroker broker = EmbeddedBroker.start(work.resolve("data"), props);
        props.put("log.dirs", broker.dataDir().toString());
        Gateway gateway = Gateway.start(broker.broker().vertx(), BrokerConfig.parse(props), broker.broker().api())
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        try {
            String steady = address(broker.broker().boundListeners(), STEADY);
            int fuzzPort = port(broker.broker().boundListeners(), "PLAINTEXT");
            int mqttPort = gateway.boundListeners().get(0).port();
            try (Admin admin = Admin.create(client(steady))) {
                admin.createTopics(List.of(new NewTopic("steady", 2, (short) 1), new NewTopic("fuzz-a", 2, (short) 1)))
                        .all().get(30, TimeUnit.SECONDS);
                List<AclBinding> acls = new ArrayList<>();
                for (ResourceType type : List.of(ResourceType.TOPIC, ResourceType.GROUP)) {
                    for (AclOperation op : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE)) {
                        acls.add(new AclBinding(new ResourcePattern(type, "fuzz-", PatternType.PREFIXED),
                                new AccessControlEntry("User:ANONYMOUS", "*", op, AclPermissionType.ALLOW)));
                    }
                }
                admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            }
            long heapBefore = usedHeapAfterGc();
            List<byte[]> corpus = kafkaCorpus();

            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
            AtomicLong steadyErrors = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS + 4);
            Future<?> producer = pool.submit(() -> produceSteadily(steady, running, acked, steadyErrors));
            Future<?> consumer = pool.submit(() -> consumeSteadily(steady, running));
            long started = System.nanoTime();
            List<Future<Long>> kafkaFuzzers = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                long seed = 1000 + i;
                kafkaFuzzers.add(pool.submit(() -> fuzzKafka(fuzzPort, corpus, KAFKA_FRAMES / CONNECTIONS + 1, seed)));
            }
            List<Future<Long>> mqttFuzzers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                long seed = 2000 + i;
                mqttFuzzers.add(pool.submit(() -> fuzzMqtt(mqttPort, MQTT_PACKETS / 2, seed)));
            }
            long kafkaSent = 0;
            for (Future<Long> f : kafkaFuzzers) {
                kafkaSent += f.get(120, TimeUnit.SECONDS);
            }
            long mqttSent = 0;
            for (Future<Long> f : mqttFuzzers) {
                mqttSent += f.get(120, TimeUnit.SECONDS);
            }
            long fuzzSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            running.set(false);
            producer.get(60, TimeUnit.SECONDS);
            consumer.get(60, TimeUnit.SECONDS);
            pool.shutdownNow();
            LOG.info("Sent {} Kafka frames and {} MQTT packets in {} s; the steady producer had {} acknowledged records",
                    kafkaSent, mqttSent, fuzzSeconds, acked.size());

            assertThat(kafkaSent).isGreaterThanOrEqualTo(100_000);
            assertThat(mqttSent).isGreaterThanOrEqualTo(MQTT_PACKETS);
            assertThat(acked).as("the well-behaved producer kept producing").hasSizeGreaterThan(50);
            assertThat(steadyErrors.get()).as("failed sends of the well-behaved producer").isZero();
            // Nothing acknowledged is lost.
            Set<String> stored = new HashSet<>(readAll(steady, "steady"));
            assertThat(stored).containsAll(acked);
            // Still serving, and the heap has not grown without bound.
            try (KafkaProducer<String, String> p = new KafkaProducer<>(client(steady))) {
                p.send(new ProducerRecord<>("steady", 0, "after", "after")).get(30, TimeUnit.SECONDS);
            }
            long heapAfter = usedHeapAfterGc();
            LOG.info("Used heap after GC: {} MB before, {} MB after", heapBefore >> 20, heapAfter >> 20);
            assertThat(heapAfter - heapBefore).as("heap growth in bytes").isLessThan(256L << 20);
        } finally {
            gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            broker.close();
        }
    }

    // ---- the well-behaved clients

    private static Properties client(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", "PLAIN");
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"steady\" password=\"steady-secret\";");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("request.timeout.ms", "20000");
        p.put("delivery.timeout.ms", "60000");
        return p;
    }

    private static void produceSteadily(String bootstrap, AtomicBoolean running, ConcurrentLinkedQueue<String> acked,
                                        AtomicLong errors) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(client(bootstrap))) {
            long i = 0;
            while (running.get()) {
                String value = "steady-" + i++;
                producer.send(new ProducerRecord<>("steady", value, value), (md, e) -> {
                    if (e == null) {
                        acked.add(value);
                    } else {
                        errors.incrementAndGet();
                        LOG.warn("Steady send failed", e);
                    }
                });
                Thread.sleep(20);
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void consumeSteadily(String bootstrap, AtomicBoolean running) {
        Properties p = client(bootstrap);
        p.put("group.id", "steady-readers");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of("steady"));
            while (running.get()) {
                consumer.poll(Duration.ofMillis(200));
                consumer.commitAsync();
            }
        }
    }

    private static List<String> readAll(String bootstrap, String topic) {
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(client(bootstrap))) {
            List<TopicPartition> tps = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }

    // ---- Kafka frames

    private static List<byte[]> kafkaCorpus() {
        List<byte[]> corpus = new ArrayList<>();
        MemoryRecords batch = MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord("k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8)));
        ProduceRequestData produce = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000);
        produce.topicData().add(new ProduceRequestData.TopicProduceData().setName("fuzz-a").setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(batch))));
        add(corpus, new ProduceRequest.Builder((short) 3, (short) 12, produce).build((short) 9));
        add(corpus, new ApiVersionsRequest.Builder().build((short) 3));
        add(corpus, new MetadataRequest.Builder(new MetadataRequestData().setTopics(List.of(
                new MetadataRequestData.MetadataRequestTopic().setName("fuzz-a")))).build((short) 12));
        FetchRequestData fetch = new FetchRequestData().setMaxWaitMs(10).setMinBytes(1).setMaxBytes(1 << 16)
                .setReplicaId(-1);
        fetch.topics().add(new FetchRequestData.FetchTopic().setTopic("fuzz-a").setPartitions(List.of(
                new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0).setPartitionMaxBytes(1 << 16))));
        add(corpus, new FetchRequest.SimpleBuilder(fetch).build((short) 12));
        add(corpus, ListOffsetsRequest.Builder.forConsumer(false, org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED)
                .setTargetTimes(List.of(new ListOffsetsRequestData.ListOffsetsTopic().setName("fuzz-a").setPartitions(
                        new ArrayList<>(List.of(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0)
                                .setTimestamp(-1)))))).build((short) 7));
        add(corpus, new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData().setKey("fuzz-g")
                .setKeyType((byte) 0)).build((short) 3));
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[8]));
        add(corpus, new JoinGroupRequest.Builder(new JoinGroupRequestData().setGroupId("fuzz-g")
                .setSessionTimeoutMs(6000).setRebalanceTimeoutMs(6000).setMemberId("").setProtocolType("consumer")
                .setProtocols(protocols)).build((short) 5));
        add(corpus, new HeartbeatRequest.Builder(new HeartbeatRequestData().setGroupId("fuzz-g").setGenerationId(1)
                .setMemberId("m")).build((short) 3));
        OffsetCommitRequestData commit = new OffsetCommitRequestData().setGroupId("fuzz-g").setGenerationIdOrMemberEpoch(-1)
                .setMemberId("");
        commit.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("fuzz-a").setPartitions(
                List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)
                        .setCommittedOffset(0))));
        add(corpus, OffsetCommitRequest.Builder.forTopicNames(commit).build((short) 8));
        add(corpus, new SaslHandshakeRequest.Builder(new SaslHandshakeRequestData().setMechanism("PLAIN"))
                .build((short) 1));
        return corpus;
    }

    private static void add(List<byte[]> corpus, AbstractRequest request) {
        ByteBuffer b = request.serializeWithHeader(new RequestHeader(request.apiKey(), request.version(), "fuzz", 1));
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        corpus.add(bytes);
    }

    /** Sends {@code frames} frames over one connection at a time, reconnecting whenever the broker closes it. */
    private static long fuzzKafka(int port, List<byte[]> corpus, int frames, long seed) throws IOException {
        Random random = new Random(seed);
        long sent = 0;
        Connection c = null;
        try {
            while (sent < frames) {
                if (c == null || c.closed) {
                    if (c != null) {
                        c.close();
                    }
                    c = Connection.open(port);
                }
                byte[] frame = kafkaFrame(random, corpus);
                try {
                    c.out.write(frame);
                    sent++;
                    if (sent % 100 == 0) {
                        // Let the broker read and answer what was sent before sending more.
                        c.out.flush();
                        c.awaitQuiet();
                        if (random.nextInt(8) == 0) {
                            c.closed = true;
                        }
                    }
                } catch (IOException closedByBroker) {
                    c.closed = true;
                }
            }
        } finally {
            if (c != null) {
                c.close();
            }
        }
        return sent;
    }

    /** One size-prefixed frame: random, or a real request mutated. */
    static byte[] kafkaFrame(Random random, List<byte[]> corpus) {
        byte[] body;
        int kind = random.nextInt(10);
        if (kind == 0) {
            body = new byte[random.nextInt(64)];
            random.nextBytes(body);
        } else {
            byte[] real = corpus.get(random.nextInt(corpus.size()));
            body = real.clone();
            switch (kind) {
                case 1, 2, 3 -> flip(random, body, 1 + random.nextInt(4));
                case 4 -> body = java.util.Arrays.copyOf(body, random.nextInt(body.length));
                case 5 -> {
                    byte[] longer = java.util.Arrays.copyOf(body, body.length + 1 + random.nextInt(32));
                    for (int i = body.length; i < longer.length; i++) {
                        longer[i] = (byte) random.nextInt();
                    }
                    body = longer;
                }
                case 6 -> {
                    // bogus API key
                    short key = (short) (random.nextBoolean() ? random.nextInt(100) : random.nextInt());
                    body[0] = (byte) (key >> 8);
                    body[1] = (byte) key;
                }
                case 7 -> {
                    // bogus version
                    short version = (short) (random.nextBoolean() ? random.nextInt(30) : random.nextInt());
                    body[2] = (byte) (version >> 8);
                    body[3] = (byte) version;
                }
                default -> {
                    // unmodified: the broker also answers real requests in between
                }
            }
        }
        int size = body.length;
        if (random.nextInt(50) == 0) {
            // a wrong size prefix: negative, zero, too large, or off by a little
            size = switch (random.nextInt(4)) {
                case 0 -> -1 - random.nextInt(1000);
                case 1 -> 0;
                case 2 -> Integer.MAX_VALUE - random.nextInt(1000);
                default -> Math.max(1, size + random.nextInt(9) - 4);
            };
        }
        ByteBuffer frame = ByteBuffer.allocate(4 + body.length);
        frame.putInt(size).put(body);
        return frame.array();
    }

    private static void flip(Random random, byte[] body, int count) {
        for (int i = 0; i < count && body.length > 0; i++) {
            int at = random.nextInt(body.length);
            body[at] ^= (byte) (1 << random.nextInt(8));
        }
    }

    // ---- MQTT packets

    private static long fuzzMqtt(int port, int packets, long seed) throws IOException {
        Random random = new Random(seed);
        long sent = 0;
        Connection c = null;
        try {
            while (sent < packets) {
                if (c == null || c.closed) {
                    if (c != null) {
                        c.close();
                    }
                    c = Connection.open(port);
                    // Most connections start with a valid CONNECT so the later packets reach the session code.
                    if (random.nextInt(4) != 0) {
                        try {
                            c.out.write(mqttConnect("fuzz-" + seed + "-" + sent, random.nextBoolean() ? 4 : 5));
                        } catch (IOException e) {
                            c.closed = true;
                            continue;
                        }
                    }
                }
                byte[] packet = mqttPacket(random);
                try {
                    c.out.write(packet);
                    sent++;
                    if (sent % 100 == 0) {
                        c.out.flush();
                        c.awaitQuiet();
                    }
                } catch (IOException closedByGateway) {
                    c.closed = true;
                }
            }
        } finally {
            if (c != null) {
                c.close();
            }
        }
        return sent;
    }

    static byte[] mqttConnect(String clientId, int level) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(new byte[]{0, 4, 'M', 'Q', 'T', 'T', (byte) level, 0x02, 0, 30});
        if (level == 5) {
            body.write(0);
        }
        body.write(id.length >> 8);
        body.write(id.length);
        body.writeBytes(id);
        return packet(0x10, body.toByteArray());
    }

    static byte[] mqttPacket(Random random) {
        byte[] real = switch (random.nextInt(5)) {
            case 0 -> publish("fuzz-a/" + random.nextInt(100), random.nextInt(2), random.nextInt(65535) + 1);
            case 1 -> subscribe(random.nextInt(65535) + 1, random.nextBoolean() ? "fuzz-a/#" : "fuzz-a/+/x");
            case 2 -> new byte[]{(byte) 0xC0, 0};
            case 3 -> new byte[]{(byte) 0x40, 2, 0, (byte) random.nextInt(256)};
            default -> mqttConnect("again", 4);
        };
        switch (random.nextInt(6)) {
            case 0 -> {
                byte[] garbage = new byte[1 + random.nextInt(40)];
                random.nextBytes(garbage);
                return garbage;
            }
            case 1, 2 -> flip(random, real, 1 + random.nextInt(3));
            case 3 -> real = java.util.Arrays.copyOf(real, Math.max(1, random.nextInt(real.length)));
            default -> {
                // valid packet
            }
        }
        return real;
    }

    private static byte[] publish(String topic, int qos, int id) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(t.length >> 8);
        body.write(t.length);
        body.writeBytes(t);
        if (qos > 0) {
            body.write(id >> 8);
            body.write(id);
        }
        body.writeBytes("payload".getBytes(StandardCharsets.UTF_8));
        return packet(0x30 | (qos << 1), body.toByteArray());
    }

    private static byte[] subscribe(int id, String filter) {
        byte[] f = filter.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(id >> 8);
        body.write(id);
        body.write(f.length >> 8);
        body.write(f.length);
        body.writeBytes(f);
        body.write(1);
        return packet(0x82, body.toByteArray());
    }

    private static byte[] packet(int header, byte[] body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(header);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    // ---- plumbing

    /** A socket whose answers are read and dropped by a daemon thread, so the peer never blocks on writing. */
    private static final class Connection implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        volatile boolean closed;
        volatile long lastRead = System.nanoTime();

        /**
         * Waits until the peer has answered what was flushed and then been quiet for 10 ms, or closed the connection,
         * at most 150 ms: the broker has read the frames rather than leaving them in the socket buffer.
         */
        void awaitQuiet() {
            long flushed = System.nanoTime();
            try {
                while (!closed && System.nanoTime() - flushed < TimeUnit.MILLISECONDS.toNanos(150)
                        && (lastRead < flushed || System.nanoTime() - lastRead < TimeUnit.MILLISECONDS.toNanos(10))) {
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            Thread drain = new Thread(() -> {
                byte[] sink = new byte[1 << 16];
                try (InputStream in = socket.getInputStream()) {
                    while (in.read(sink) >= 0) {
                        lastRead = System.nanoTime();
                    }
                } catch (IOException ignored) {
                    // closed
                }
                closed = true;
            }, "fuzz-drain");
            drain.setDaemon(true);
            drain.start();
        }

        static Connection open(int port) throws IOException {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setTcpNoDelay(true);
            return new Connection(s);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static String address(List<BoundListener> listeners, String name) {
        BoundListener l = listeners.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        return l.host() + ":" + l.port();
    }

    private static int port(List<BoundListener> listeners, String name) {
        return listeners.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow().port();
    }
}
