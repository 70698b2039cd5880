import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The log benchmarks of issue 4, against a Tributary broker in a child JVM (the fat jar), driven by the Kafka Java
 * client. Run by bench/log-bench.sh with the jar on the class path (Java's single-file source launcher):
 *
 * <pre>
 * java -cp tributary.jar LogBench.java append-read JAR DATA_DIR FILL_GB MEASURE_GB ROUNDS
 * java -cp tributary.jar LogBench.java startup     JAR DATA_DIR PARTITIONS TOTAL_GB
 * java -cp tributary.jar LogBench.java restart     JAR DATA_DIR TIMES
 * </pre>
 *
 * Every result is printed as a line {@code RESULT name value}; everything else is progress.
 *
 * <ul>
 *   <li>append-read: fills one partition with FILL_GB, then ROUNDS times appends MEASURE_GB to a fresh empty
 *       partition and MEASURE_GB to the full one, in alternating order (each append preceded by {@code sync}, so
 *       neither pays for the other's writeback); the ratio of the medians is full / empty. Then, after an untimed
 *       warm-up read of both ranges, reads MEASURE_GB from the start of the full partition and from its tail, in
 *       alternating order, warm (page cache as the appends left it) and, when the page cache can be dropped (root),
 *       cold; ratio start / tail.</li>
 *   <li>startup: one topic of PARTITIONS partitions holding TOTAL_GB in all. The broker is SIGKILLed right after
 *       the last acknowledgement (nothing was ever flushed or closed cleanly: the worst case, every segment
 *       is scanned) and restarted; then stopped cleanly (SIGTERM) and restarted. Start-up time is from launching
 *       the JVM to the first accepted connection (the listeners bind only after every log is open).</li>
 * </ul>
 */
public final class LogBench {

    static final int RECORD_BYTES = 1024;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "append-read" -> appendRead(Path.of(args[1]), Path.of(args[2]), Double.parseDouble(args[3]),
                    Double.parseDouble(args[4]), Integer.parseInt(args[5]));
            case "startup" -> startup(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]),
                    Double.parseDouble(args[4]));
            case "restart" -> restart(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("unknown phase " + args[0]);
        }
    }

    // ---- append and read ---------------------------------------------------------------------------------------

    static void appendRead(Path jar, Path data, double fillGb, double measureGb, int rounds) throws Exception {
        long measureRecords = (long) (measureGb * (1L << 30) / RECORD_BYTES);
        try (Broker broker = Broker.start(jar, data, "append")) {
            createTopic(broker.bootstrap(), "full", 1);
            progress("filling partition full-0 with %.1f GB", fillGb);
            double fillRate = produce(broker.bootstrap(), "full", 1, (long) (fillGb * (1L << 30) / RECORD_BYTES));
            result("fill_mb_per_s", fillRate);
            List<Double> empty = new ArrayList<>();
            List<Double> full = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                String topic = "empty-" + r;
                createTopic(broker.bootstrap(), topic, 1);
                // Alternate which goes first, so a JVM still warming up favours neither.
                for (boolean fullTurn : r % 2 == 1 ? new boolean[]{false, true} : new boolean[]{true, false}) {
                    sync();
                    if (fullTurn) {
                        full.add(produce(broker.bootstrap(), "full", 1, measureRecords));
                    } else {
                        empty.add(produce(broker.bootstrap(), topic, 1, measureRecords));
                    }
                }
                progress("round %d: empty partition %.1f MB/s, full partition %.1f MB/s", r,
                        empty.get(empty.size() - 1), full.get(full.size() - 1));
            }
            result("append_empty_mb_per_s", median(empty));
            result("append_full_mb_per_s", median(full));
            result("append_empty_runs", empty.toString());
            result("append_full_runs", full.toString());
            result("append_ratio_full_over_empty", median(full) / median(empty));

            TopicPartition tp = new TopicPartition("full", 0);
            long end = endOffset(broker.bootstrap(), tp);
            result("full_partition_gb", end * (double) RECORD_BYTES / (1L << 30));
            // Untimed warm-up of both JVMs' read paths (JIT, heap), over the very ranges measured below.
            consume(broker.bootstrap(), tp, 0, measureRecords / 2);
            consume(broker.bootstrap(), tp, end - measureRecords, measureRecords / 2);
            for (String mode : new String[]{"warm", "cold"}) {
                List<Double> start = new ArrayList<>();
                List<Double> tail = new ArrayList<>();
                for (int r = 1; r <= rounds; r++) {
                    if (mode.equals("cold") && !canDropCaches()) {
                        progress("cannot drop the page cache (not root?): no cold reads");
                        break;
                    }
                    for (boolean tailTurn : r % 2 == 1 ? new boolean[]{false, true} : new boolean[]{true, false}) {
                        if (mode.equals("cold")) {
                            dropCaches();
                        }
                        if (tailTurn) {
                            tail.add(consume(broker.bootstrap(), tp, end - measureRecords, measureRecords));
                        } else {
                            start.add(consume(broker.bootstrap(), tp, 0, measureRecords));
                        }
                    }
                    progress("%s round %d: start %.1f MB/s, tail %.1f MB/s", mode, r, start.get(r - 1),
                            tail.get(r - 1));
                }
                if (!start.isEmpty()) {
                    result("read_" + mode + "_start_mb_per_s", median(start));
                    result("read_" + mode + "_tail_mb_per_s", median(tail));
                    result("read_" + mode + "_ratio_start_over_tail", median(start) / median(tail));
                }
            }
        }
    }

    // ---- start-up ----------------------------------------------------------------------------------------------

    static void startup(Path jar, Path data, int partitions, double totalGb) throws Exception {
        long records = (long) (totalGb * (1L << 30) / RECORD_BYTES);
        long expectedEnd;
        try (Broker broker = Broker.start(jar, data, "startup-fill")) {
            createTopic(broker.bootstrap(), "many", partitions);
            progress("filling %d partitions with %.1f GB", partitions, totalGb);
            result("startup_fill_mb_per_s", produce(broker.bootstrap(), "many", partitions, records));
            expectedEnd = totalEnd(broker.bootstrap(), "many", partitions);
            broker.kill();
        }
        result("startup_partitions", partitions);
        result("startup_total_gb", totalGb);
        try (Broker broker = Broker.start(jar, data, "after-sigkill")) {
            result("startup_after_sigkill_ms", broker.startMillis());
            long end = totalEnd(broker.bootstrap(), "many", partitions);
            result("startup_after_sigkill_records_kept", end == expectedEnd ? "all " + end : end + " of " + expectedEnd);
            result("startup_after_sigkill_recovery_log", broker.grep("not shut down cleanly").size()
                    + " partition logs scanned");
            broker.stop();
        }
        try (Broker broker = Broker.start(jar, data, "after-clean-stop")) {
            result("startup_after_clean_stop_ms", broker.startMillis());
            long end = totalEnd(broker.bootstrap(), "many", partitions);
            result("startup_after_clean_stop_records_kept", end == expectedEnd ? "all " + end : end + " of " + expectedEnd);
            broker.stop();
        }
    }

    /** Starts and cleanly stops a broker on existing data TIMES times; the first start may be a recovery. */
    static void restart(Path jar, Path data, int times) throws Exception {
        List<Double> clean = new ArrayList<>();
        for (int i = 1; i <= times; i++) {
            try (Broker broker = Broker.start(jar, data, "restart-" + i)) {
                if (i == 1) {
                    result("restart_first_ms", broker.startMillis());
                } else {
                    clean.add((double) broker.startMillis());
                }
                broker.stop();
            }
        }
        if (!clean.isEmpty()) {
            result("restart_clean_median_ms", median(clean));
            result("restart_clean_runs_ms", clean.toString());
        }
    }

    // ---- clients -----------------------------------------------------------------------------------------------

    /** Produces {@code records} 1 KiB records round-robin over the partitions; returns MB/s (MiB) acknowledged. */
    static double produce(String bootstrap, String topic, int partitions, long records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, partitions > 1 ? 64 * 1024 : 512 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
        byte[] value = new byte[RECORD_BYTES];
        Arrays.fill(value, (byte) 'x');
        AtomicReference<Exception> failure = new AtomicReference<>();
        Semaphore window = new Semaphore(200_000);
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            Callback done = (md, e) -> {
                window.release();
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            };
            for (long i = 0; i < records; i++) {
                window.acquire();
                producer.send(new ProducerRecord<>(topic, (int) (i % partitions), null, value), done);
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return records * (double) RECORD_BYTES / (1 << 20) / seconds;
    }

    /** Reads {@code records} records of {@code tp} from {@code from}; returns MB/s (MiB) of record values. */
    static double consume(String bootstrap, TopicPartition tp, long from, long records) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20_000);
        p.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 4 * 1024 * 1024);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, from);
            consumer.poll(Duration.ZERO); // connect and look up the leader outside the timed part
            long read = 0;
            long bytes = 0;
            long start = System.nanoTime();
            long deadline = start + TimeUnit.MINUTES.toNanos(5);
            while (read < records && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    if (read++ < records) {
                        bytes += r.value().length;
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (read < records) {
                throw new IllegalStateException("read only " + read + " of " + records + " records");
            }
            return bytes / (double) (1 << 20) / seconds;
        }
    }

    static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(120, TimeUnit.SECONDS);
        }
    }

    static long endOffset(String bootstrap, TopicPartition tp) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            return consumer.endOffsets(List.of(tp), Duration.ofSeconds(60)).get(tp);
        }
    }

    static long totalEnd(String bootstrap, String topic, int partitions) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<TopicPartition> tps = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            tps.add(new TopicPartition(topic, i));
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            return consumer.endOffsets(tps, Duration.ofSeconds(120)).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 120_000);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 120_000);
        return Admin.create(p);
    }

    // ---- the broker process ------------------------------------------------------------------------------------

    /** A broker JVM from the fat jar, logging to DATA_DIR/../NAME.log. */
    static final class Broker implements AutoCloseable {
        private final Process process;
        private final int port;
        private final long startMillis;
        private final Path log;

        private Broker(Process process, int port, long startMillis, Path log) {
            this.process = process;
            this.port = port;
            this.startMillis = startMillis;
            this.log = log;
        }

        static Broker start(Path jar, Path data, String name) throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path log = data.resolveSibling(name + ".log");
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-jar", jar.toString(),
                    "--override", "listeners=PLAINTEXT://127.0.0.1:" + port,
                    "--override", "log.dirs=" + data,
                    "--override", "offsets.topic.num.partitions=1",
                    "--override", "socket.request.max.bytes=104857600");
            long launched = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            long deadline = launched + TimeUnit.MINUTES.toNanos(5);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("broker exited: " + Files.readString(log));
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    long ms = (System.nanoTime() - launched) / 1_000_000;
                    progress("broker %s up in %d ms", name, ms);
                    return new Broker(process, port, ms, log);
                } catch (IOException notYet) {
                    Thread.sleep(5);
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("broker did not start within 5 minutes: " + Files.readString(log));
        }

        String bootstrap() {
            return "127.0.0.1:" + port;
        }

        long startMillis() {
            return startMillis;
        }

        List<String> grep(String text) throws IOException {
            return Files.readAllLines(log).stream().filter(l -> l.contains(text)).toList();
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("broker did not stop within 5 minutes");
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                stop();
            }
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    static void sync() throws Exception {
        new ProcessBuilder("sync").inheritIO().start().waitFor();
    }

    static boolean canDropCaches() {
        return Files.isWritable(Path.of("/proc/sys/vm/drop_caches"));
    }

    static boolean dropCaches() {
        try {
            sync();
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static void result(String name, Object value) {
        String text = value instanceof Double d ? String.format("%.3f", d) : String.valueOf(value);
        System.out.println("RESULT " + name + " " + text);
        System.out.flush();
    }

    static void progress(String format, Object... args) {
        System.err.printf("[%tT] %s%n", System.currentTimeMillis(), String.format(format, args));
    }
}
