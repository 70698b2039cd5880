import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Latency and connection-count load for bench/mqtt/run.sh, on the Vert.x MQTT client (run with Java's source
 * launcher against the fat jar, which carries vertx-mqtt). Prints one result line, KEY=VALUE separated by spaces.
 * (Throughput is driven by 50 mosquitto_pub processes, a client neither broker has an edge with.)
 *
 *   latency    HOST PORT QOS RATE SECONDS [WARMUP]
 *                                           one publisher at RATE msg/s, one subscriber; p50/p99 publish-to-receive
 *                                           over SECONDS, after WARMUP (default 0) seconds of the same load that are
 *                                           not measured
 *   idle       HOST PORT COUNT                 opens COUNT idle connections, prints READY, holds them until stdin closes
 */
public final class MqttBench {

    private static final int PAYLOAD = 100;

    public static void main(String[] args) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try {
            switch (args[0]) {
                case "latency" -> latency(vertx, args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                        Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                        args.length > 6 ? Integer.parseInt(args[6]) : 0);
                case "idle" -> idle(vertx, args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                default -> throw new IllegalArgumentException(args[0]);
            }
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static MqttClient connect(Vertx vertx, String host, int port, String id) throws Exception {
        MqttClient client = MqttClient.create(vertx, new MqttClientOptions().setClientId(id)
                .setMaxInflightQueue(1000).setKeepAliveInterval(300).setCleanSession(true));
        client.connect(port, host).await(30, TimeUnit.SECONDS);
        return client;
    }

    /**
     * The payload carries its sequence number and send time; the subscriber (same JVM, same clock) records the
     * delay of every message after the first {@code warmupSeconds * rate}. The warm-up is this JVM's own: each
     * round is a new JVM (started by the source launcher, which compiles this file first), and without it the
     * client's JIT compilation and first collections would fall into the measured window of either broker.
     */
    private static void latency(Vertx vertx, String host, int port, int qos, int rate, int seconds, int warmupSeconds)
            throws Exception {
        int measured = rate * seconds;
        int skipped = rate * warmupSeconds;
        int total = skipped + measured;
        long[] latencies = new long[measured];
        AtomicLong received = new AtomicLong();
        AtomicLong recorded = new AtomicLong();
        CountDownLatch all = new CountDownLatch(1);
        MqttClient sub = connect(vertx, host, port, "bench-lat-sub");
        sub.publishHandler(m -> {
            long now = System.nanoTime();
            long seq = m.payload().getLong(0);
            long sent = m.payload().getLong(8);
            if (seq >= skipped && seq < total) {
                int n = (int) recorded.getAndIncrement();
                if (n < measured) {
                    latencies[n] = now - sent;
                }
            }
            if (received.incrementAndGet() == total) {
                all.countDown();
            }
        });
        sub.subscribe("latency/#", qos).await(10, TimeUnit.SECONDS);
        MqttClient pub = connect(vertx, host, port, "bench-lat-pub");
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        vertx.setPeriodic(1, id -> {
            long due = Math.min(total, (System.nanoTime() - start) / intervalNanos + 1);
            while (sent.get() < due) {
                Buffer b = Buffer.buffer(new byte[PAYLOAD]);
                b.setLong(0, sent.get());
                b.setLong(8, System.nanoTime());
                pub.publish("latency/x", b, MqttQoS.valueOf(qos), false, false).onFailure(e -> failed.incrementAndGet());
                sent.incrementAndGet();
            }
            if (sent.get() >= total) {
                vertx.cancelTimer(id);
            }
        });
        boolean complete = all.await(warmupSeconds + seconds + 30L, TimeUnit.SECONDS);
        int n = (int) Math.min(recorded.get(), measured);
        long[] got = Arrays.copyOf(latencies, n);
        Arrays.sort(got);
        System.out.printf("mode=latency qos=%d rate=%d warmup_s=%d sent=%d failed=%d received=%d measured=%d"
                        + " complete=%b p50_ms=%.3f p99_ms=%.3f max_ms=%.3f%n",
                qos, rate, warmupSeconds, sent.get(), failed.get(), received.get(), n, complete, pct(got, 0.50),
                pct(got, 0.99), n == 0 ? 0 : got[n - 1] / 1e6);
        pub.disconnect();
        sub.disconnect();
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }

    private static void idle(Vertx vertx, String host, int port, int count) throws Exception {
        List<MqttClient> clients = new ArrayList<>();
        int batch = 200;
        for (int i = 0; i < count; i += batch) {
            List<Future<?>> connects = new ArrayList<>();
            for (int j = i; j < Math.min(count, i + batch); j++) {
                MqttClient c = MqttClient.create(vertx, new MqttClientOptions().setClientId("idle-" + j)
                        .setKeepAliveInterval(600));
                clients.add(c);
                connects.add(c.connect(port, host));
            }
            Future.all(connects).await(60, TimeUnit.SECONDS);
        }
        System.out.println("READY connected=" + clients.size());
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold the connections until the script closes stdin
        }
    }
}
