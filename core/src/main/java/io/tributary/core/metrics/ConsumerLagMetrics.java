package io.tributary.core.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tributary.core.api.GroupPartitionLag;
import io.tributary.core.group.AdminMessages.GroupListing;
import io.tributary.core.group.GroupCoordinator;
import io.tributary.core.partition.PartitionRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumer group lag per partition (high watermark minus committed offset), sampled periodically on one
 * context rather than at scrape time, so a scrape never waits on the coordinator or partition loops. Each
 * series is one gauge over a value this sampler updates: a scrape never sees a series being re-registered.
 */
public final class ConsumerLagMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagMetrics.class);

    private final Context context;
    private final GroupCoordinator groups;
    private final PartitionRegistry partitions;
    private final long intervalMs;
    private final MeterRegistry registry;
    /** The published series; only the sampling context changes the map. */
    private final Map<LagKey, Series> series = new HashMap<>();
    private long timer = -1;
    private boolean sampling;

    public ConsumerLagMetrics(MeterRegistry registry, Context context, GroupCoordinator groups,
                              PartitionRegistry partitions, long intervalMs) {
        this.context = context;
        this.groups = groups;
        this.partitions = partitions;
        this.intervalMs = intervalMs;
        this.registry = registry;
    }

    public void start() {
        context.runOnContext(v -> timer = context.owner().setPeriodic(0, intervalMs, id -> sample()));
    }

    public void stop() {
        context.runOnContext(v -> {
            if (timer >= 0) {
                context.owner().cancelTimer(timer);
            }
        });
    }

    private void sample() {
        if (sampling) {
            return; // the previous sample is still collecting
        }
        sampling = true;
        groups.listGroups(Set.of(), Set.of())
                .compose(this::lagOf)
                .onComplete(ar -> {
                    sampling = false;
                    if (ar.succeeded()) {
                        publish(ar.result());
                    } else {
                        LOG.debug("Consumer lag sample failed", ar.cause());
                    }
                });
    }

    /** Updates the series sampled again, adds new ones and removes those of groups or partitions gone. */
    private void publish(List<Lag> sampled) {
        Map<LagKey, Long> latest = new HashMap<>();
        sampled.forEach(l -> latest.put(l.key(), l.value()));
        series.entrySet().removeIf(e -> {
            if (latest.containsKey(e.getKey())) {
                return false;
            }
            registry.remove(e.getValue().gauge());
            return true;
        });
        latest.forEach((key, value) -> series.computeIfAbsent(key, this::register).value().set(value));
    }

    private Series register(LagKey key) {
        AtomicLong value = new AtomicLong();
        Gauge gauge = Gauge.builder("tributary.consumer.group.lag", value, AtomicLong::get)
                .description("Records between a group's committed offset and the partition's high watermark")
                .baseUnit("records")
                .tags(Tags.of("group", key.group(), "topic", key.partition().topic(), "partition",
                        String.valueOf(key.partition().partition())))
                .register(registry);
        return new Series(gauge, value);
    }

    private Future<List<Lag>> lagOf(List<GroupListing> listings) {
        List<Future<List<GroupPartitionLag>>> perGroup = new ArrayList<>();
        for (GroupListing listing : listings) {
            perGroup.add(ConsumerLag.of(groups, partitions, listing.groupId()));
        }
        return Future.all(perGroup).map(all -> {
            List<Lag> rows = new ArrayList<>();
            for (int i = 0; i < perGroup.size(); i++) {
                String group = listings.get(i).groupId();
                for (GroupPartitionLag lag : all.<List<GroupPartitionLag>>resultAt(i)) {
                    if (lag.logEnd() >= 0) {
                        rows.add(new Lag(new LagKey(group, lag.partition()), lag.lag()));
                    }
                }
            }
            return rows;
        });
    }

    private record LagKey(String group, TopicPartition partition) {
    }

    private record Lag(LagKey key, long value) {
    }

    private record Series(Gauge gauge, AtomicLong value) {
    }
}
