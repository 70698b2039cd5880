package io.tributary.core.it;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Java consumer in a group, polling on its own thread like an application would: it records what
 * it receives and the partitions it is assigned, and commits synchronously after every non-empty poll.
 * {@link #close()} stops it cleanly, which makes it leave the group.
 */
final class GroupMember implements AutoCloseable {

    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private volatile Set<TopicPartition> assignment = Set.of();
    /** How often the assignment this member saw changed: a rebalance that touched it counts. */
    final AtomicInteger assignmentChanges = new AtomicInteger();
    final ConcurrentLinkedQueue<ConsumerRecord<String, String>> received = new ConcurrentLinkedQueue<>();

    private GroupMember(String name, Map<String, Object> props, String topic) {
        thread = new Thread(() -> run(props, topic), name);
        thread.setDaemon(true);
        thread.start();
    }

    /** @param protocol "classic" or "consumer" (group.protocol) */
    static GroupMember start(String bootstrap, String group, String topic, String protocol, String name) {
        return start(bootstrap, group, topic, protocol, name, Map.of());
    }

    /** @param extra more consumer settings, e.g. another partition.assignment.strategy */
    static GroupMember start(String bootstrap, String group, String topic, String protocol, String name,
                             Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(props(group, protocol));
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        props.putAll(extra);
        return new GroupMember(name, withBootstrap(props, bootstrap), topic);
    }

    /** Consumer settings for fast group tests with either protocol. */
    static Map<String, Object> props(String group, String protocol) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        if (protocol.equals("classic")) {
            // The session timeout of consumer-protocol members is the broker's (group.consumer.session.timeout.ms).
            p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
            p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        }
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 30_000);
        return p;
    }

    private static Map<String, Object> withBootstrap(Map<String, Object> props, String bootstrap) {
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return props;
    }

    private void run(Map<String, Object> props, String topic) {
        String bootstrap = (String) props.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        try (KafkaConsumer<String, String> consumer = ItClients.consumer(bootstrap, props)) {
            consumer.subscribe(List.of(topic));
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                records.forEach(received::add);
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
                Set<TopicPartition> now = Set.copyOf(consumer.assignment());
                if (!now.equals(assignment)) {
                    // Counted before it is published: whoever sees the new assignment sees it counted.
                    assignmentChanges.incrementAndGet();
                    assignment = now;
                }
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    Set<TopicPartition> assignment() {
        return assignment;
    }

    Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
