package io.tributary.gateway.mqtt;

import io.tributary.core.api.TopicDescription;
import io.tributary.core.api.Topics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The Kafka topics and their partition counts, refreshed every second and on demand, so subscriptions pick
 * up topics created after they were made. Listeners are told on their own context when the set changes.
 */
final class TopicCatalog {

    private static final long REFRESH_MS = 1000;

    private final Vertx vertx;
    private final Topics topics;
    private final Map<Runnable, Context> listeners = new ConcurrentHashMap<>();
    private volatile Map<String, Integer> partitions = Map.of();
    private long timer = -1;

    TopicCatalog(Vertx vertx, Topics topics) {
        this.vertx = vertx;
        this.topics = topics;
    }

    void start() {
        refresh();
        timer = vertx.setPeriodic(REFRESH_MS, id -> refresh());
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Re-reads the topic list; cheap (the broker serves it from memory). */
    void refresh() {
        Map<String, Integer> now = topics.list().stream()
                .collect(Collectors.toUnmodifiableMap(TopicDescription::name, TopicDescription::partitions));
        if (!now.equals(partitions)) {
            partitions = now;
            listeners.forEach((listener, context) -> context.runOnContext(v -> listener.run()));
        }
    }

    Set<String> names() {
        return partitions.keySet();
    }

    int partitionsOf(String topic) {
        return partitions.getOrDefault(topic, 0);
    }

    boolean contains(String topic) {
        return partitions.containsKey(topic);
    }

    /** Registers {@code listener} to run on the calling context whenever topics appear or change. */
    void listen(Runnable listener) {
        listeners.put(listener, Vertx.currentContext());
    }

    void unlisten(Runnable listener) {
        listeners.remove(listener);
    }
}
