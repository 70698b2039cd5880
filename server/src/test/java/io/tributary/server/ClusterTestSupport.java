package io.tributary.server;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** What the multi-JVM cluster tests share: starting members together, an Admin client, reading a partition back. */
final class ClusterTestSupport {

    private ClusterTestSupport() {
    }

    /** Starts every member at once (each waits for the others before placing the internal topics). */
    static void startInParallel(List<ChildBroker> members) throws Exception {
        ExecutorService starter = Executors.newFixedThreadPool(members.size());
        try {
            List<Future<Integer>> starts = new ArrayList<>();
            for (ChildBroker member : members) {
                starts.add(starter.submit(member::start));
            }
            for (Future<Integer> start : starts) {
                start.get(150, TimeUnit.SECONDS);
            }
        } finally {
            starter.shutdownNow();
        }
    }

    static Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(props);
    }

    /** Every record of {@code tp} from the log start, by offset, read until {@code lastOffset} is seen (60 s). */
    static Map<Long, String> readPartition(String bootstrap, TopicPartition tp, long lastOffset) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("enable.auto.commit", false);
        Map<Long, String> stored = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!stored.containsKey(lastOffset) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    stored.put(r.offset(), r.value());
                }
            }
        }
        return stored;
    }

    interface Check {
        boolean holds() throws Exception;
    }

    /** Waits until {@code check} holds; fails after {@code seconds} with the last exception it threw, if any. */
    static void awaitTrue(String what, int seconds, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(what + " not reached within " + seconds + " s", last);
    }
}
